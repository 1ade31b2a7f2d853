<?php
// Shared by installer.php, upgrade.php and index.php of testapp-db.

const TESTAPP_NAME = 'testapp-db';

function testapp_version(): string
{
    return trim((string) file_get_contents(__DIR__ . '/VERSION'));
}

function testapp_fail(string $message, int $code = 1): void
{
    fwrite(STDERR, TESTAPP_NAME . ': ' . $message . "\n");
    exit($code);
}

/** The installed configuration (written by installer.php), or null when not installed. */
function testapp_config(): ?array
{
    $file = __DIR__ . '/config.php';
    return is_file($file) ? require $file : null;
}

function testapp_connect(array $config): mysqli
{
    mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
    $db = new mysqli($config['db_host'], $config['db_user'], $config['db_pass'], $config['db_name'], (int) $config['db_port']);
    $db->set_charset('utf8mb4');
    return $db;
}

/** Runs an SQL file whose statements end with ';' at the end of a line; {{prefix}} becomes the table prefix. */
function testapp_run_sql_file(mysqli $db, string $file, string $prefix): int
{
    $sql = str_replace('{{prefix}}', $prefix, (string) file_get_contents($file));
    $count = 0;
    foreach (preg_split('/;[ \t]*(?:\r?\n|$)/', $sql) as $statement) {
        $lines = array_filter(preg_split('/\r?\n/', $statement), fn ($l) => !preg_match('/^\s*(--|$)/', $l));
        if ($lines) {
            $db->query(implode("\n", $lines));
            $count++;
        }
    }
    return $count;
}

/** The schema version stored in the database. */
function testapp_db_version(mysqli $db, string $prefix): string
{
    $st = $db->prepare("SELECT value FROM {$prefix}settings WHERE name = 'db_version'");
    $st->execute();
    $row = $st->get_result()->fetch_row();
    return $row ? (string) $row[0] : '';
}

/** Site settings as name => value. */
function testapp_settings(mysqli $db, string $prefix): array
{
    $out = [];
    foreach ($db->query("SELECT name, value FROM {$prefix}settings")->fetch_all() as [$name, $value]) {
        $out[$name] = $value;
    }
    return $out;
}

function h(string $s): string
{
    return htmlspecialchars($s, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
}
