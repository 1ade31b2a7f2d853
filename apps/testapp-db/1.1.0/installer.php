<?php
// testapp-db installer (command line only).
//
//   php installer.php --db-host=127.0.0.1 --db-port=3306 --db-name=NAME --db-user=USER --db-pass=PASS
//       --db-prefix=ta_ --admin-login=LOGIN --admin-pass=PASS --admin-email=EMAIL --site-title=TITLE
//
// Every option can also be given in the environment as TESTAPP_<OPTION> (TESTAPP_DB_PASS, TESTAPP_ADMIN_PASS, ...),
// which keeps secrets out of the process list; an option on the command line wins over the environment.
// Creates the tables of install.sql, stores the site title and the admin user (password_hash) and writes config.php.
// Success: exit 0 and one JSON line on stdout. Failure: exit 1 and a message on stderr; nothing secret is printed.
if (PHP_SAPI !== 'cli') {
    http_response_code(403);
    exit("installer.php runs from the command line only\n");
}
require __DIR__ . '/lib.php';

if (file_exists(__DIR__ . '/config.php')) {
    testapp_fail('already installed (config.php exists)');
}

$spec = [
    'db-host' => '127.0.0.1', 'db-port' => '3306', 'db-name' => null, 'db-user' => null, 'db-pass' => '',
    'db-prefix' => 'ta_', 'admin-login' => null, 'admin-pass' => null, 'admin-email' => null, 'site-title' => null,
];
$opts = [];
foreach ($spec as $name => $default) {
    $env = getenv('TESTAPP_' . strtoupper(str_replace('-', '_', $name)));
    $opts[$name] = $env !== false ? $env : $default;
}
foreach (array_slice($argv, 1) as $arg) {
    if (!preg_match('/^--([a-z-]+)=(.*)$/s', $arg, $m) || !array_key_exists($m[1], $spec)) {
        testapp_fail('unknown argument ' . explode('=', $arg, 2)[0]);
    }
    $opts[$m[1]] = $m[2];
}
foreach ($opts as $name => $value) {
    if ($value === null || ($value === '' && $name !== 'db-pass' && $name !== 'db-prefix')) {
        testapp_fail("missing --$name");
    }
}
if (!preg_match('/^[A-Za-z0-9_]{0,20}$/', $opts['db-prefix'])) {
    testapp_fail('invalid --db-prefix (letters, digits, _; at most 20)');
}
if (!filter_var($opts['admin-email'], FILTER_VALIDATE_EMAIL)) {
    testapp_fail('invalid --admin-email');
}
if (!preg_match('/^[A-Za-z0-9_.@-]{1,60}$/', $opts['admin-login'])) {
    testapp_fail('invalid --admin-login');
}

$config = [
    'db_host' => $opts['db-host'], 'db_port' => (int) $opts['db-port'], 'db_name' => $opts['db-name'],
    'db_user' => $opts['db-user'], 'db_pass' => $opts['db-pass'], 'db_prefix' => $opts['db-prefix'],
];
$version = testapp_version();
$p = $config['db_prefix'];
try {
    $db = testapp_connect($config);
    testapp_run_sql_file($db, __DIR__ . '/install.sql', $p);
    $st = $db->prepare("INSERT INTO {$p}settings (name, value) VALUES (?, ?)");
    foreach (['site_title' => $opts['site-title'], 'db_version' => $version, 'installed_at' => gmdate('c')] as $name => $value) {
        $st->bind_param('ss', $name, $value);
        $st->execute();
    }
    $hash = password_hash($opts['admin-pass'], PASSWORD_DEFAULT);
    $st = $db->prepare("INSERT INTO {$p}users (login, email, pass_hash, is_admin) VALUES (?, ?, ?, 1)");
    $st->bind_param('sss', $opts['admin-login'], $opts['admin-email'], $hash);
    $st->execute();
} catch (mysqli_sql_exception $e) {
    testapp_fail('database error: ' . $e->getMessage());
}

$file = __DIR__ . '/config.php';
$tmp = $file . '.tmp';
file_put_contents($tmp, "<?php\n// Written by installer.php.\nreturn " . var_export($config, true) . ";\n");
chmod($tmp, 0640);
rename($tmp, $file);

echo json_encode(['ok' => true, 'app' => TESTAPP_NAME, 'version' => $version]) . "\n";
