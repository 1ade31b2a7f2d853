<?php
// Applies changed fields to a testapp-db install: site title in settings (1.x) or options (2.x), and the admin
// user's login, email and password (password_hash, as installer.php stores it).
// Input (stdin JSON): dir, login? (the admin to change; default: the first admin), changes {login?, passwd?,
// email?, sitetitle?}. Result: {"ok":true}.
if (PHP_SAPI !== 'cli') {
    exit;
}
function ig_out(array $data, int $code)
{
    echo "\n@@INSTALLGATE-RESULT@@ ", json_encode($data, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
    exit($code);
}
$in = json_decode((string) stream_get_contents(STDIN), true);
$c = is_array($in['changes'] ?? null) ? $in['changes'] : [];
$config = require rtrim((string) $in['dir'], '/') . '/config.php';
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
try {
    $db = new mysqli($config['db_host'], $config['db_user'], $config['db_pass'], $config['db_name'], (int) $config['db_port']);
    $db->set_charset('utf8mb4');
    $p = $config['db_prefix'];
    if (isset($c['sitetitle'])) {
        $has = $db->query("SHOW TABLES LIKE '" . $db->real_escape_string($p) . "options'")->num_rows > 0;
        $st = $has
            ? $db->prepare("UPDATE {$p}options SET option_value = ? WHERE option_name = 'site_title'")
            : $db->prepare("UPDATE {$p}settings SET value = ? WHERE name = 'site_title'");
        $st->bind_param('s', $c['sitetitle']);
        $st->execute();
    }
    $login = (string) ($in['login'] ?? '');
    if ($login !== '') {
        $st = $db->prepare("SELECT id FROM {$p}users WHERE is_admin = 1 AND login = ?");
        $st->bind_param('s', $login);
    } else {
        $st = $db->prepare("SELECT id FROM {$p}users WHERE is_admin = 1 ORDER BY id LIMIT 1");
    }
    $st->execute();
    $row = $st->get_result()->fetch_row();
    if (!$row) {
        ig_out(['ok' => false, 'field' => 'login', 'message' => 'No such administrator.'], 3);
    }
    $id = (int) $row[0];
    $set = [
        'login' => isset($c['login']) ? (string) $c['login'] : null,
        'email' => isset($c['email']) ? (string) $c['email'] : null,
        'pass_hash' => isset($c['passwd']) ? password_hash((string) $c['passwd'], PASSWORD_DEFAULT) : null,
    ];
    foreach ($set as $column => $value) {
        if ($value !== null) {
            $st = $db->prepare("UPDATE {$p}users SET $column = ? WHERE id = ?");
            $st->bind_param('si', $value, $id);
            $st->execute();
        }
    }
} catch (mysqli_sql_exception $e) {
    fwrite(STDERR, 'database error: ' . $e->getMessage() . "\n");
    exit(1);
}
ig_out(['ok' => true], 0);
