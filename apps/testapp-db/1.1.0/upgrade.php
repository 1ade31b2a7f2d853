<?php
// testapp-db database upgrade (command line only): run after the files of a newer version replaced the old ones
// (config.php kept). Applies upgrade-from-<version>.sql, starting with the schema version stored in the database,
// until the database matches VERSION. Each file moves the schema one release on and records the new db_version.
// Success: exit 0 and one JSON line {"ok":true,"from":..,"to":..,"applied":[..]} on stdout.
if (PHP_SAPI !== 'cli') {
    http_response_code(403);
    exit("upgrade.php runs from the command line only\n");
}
require __DIR__ . '/lib.php';

$config = testapp_config() ?? testapp_fail('not installed (no config.php)');
$target = testapp_version();
$p = $config['db_prefix'];
$applied = [];
try {
    $db = testapp_connect($config);
    $from = $current = testapp_db_version($db, $p);
    while (version_compare($current, $target, '<')) {
        $file = __DIR__ . "/upgrade-from-$current.sql";
        if (!is_file($file)) {
            testapp_fail("no upgrade path from database version $current to $target");
        }
        testapp_run_sql_file($db, $file, $p);
        $applied[] = basename($file);
        $next = testapp_db_version($db, $p);
        if (!version_compare($next, $current, '>')) {
            testapp_fail(basename($file) . " did not advance db_version (still $next)");
        }
        $current = $next;
    }
} catch (mysqli_sql_exception $e) {
    testapp_fail('database error: ' . $e->getMessage());
}
echo json_encode(['ok' => true, 'from' => $from, 'to' => $current, 'applied' => $applied]) . "\n";
