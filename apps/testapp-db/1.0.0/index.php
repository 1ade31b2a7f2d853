<?php
// testapp-db front page: the site title read from the database.
require __DIR__ . '/lib.php';

header('Content-Type: text/html; charset=utf-8');
$config = testapp_config();
if ($config === null) {
    http_response_code(503);
    echo "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>testapp-db: not installed</title></head>",
        "<body><p>Not installed: run installer.php.</p></body></html>\n";
    exit;
}
try {
    $db = testapp_connect($config);
    $settings = testapp_settings($db, $config['db_prefix']);
} catch (mysqli_sql_exception $e) {
    http_response_code(500);
    echo "<!DOCTYPE html>\n<html><head><title>testapp-db: database error</title></head><body><p>Database error.</p></body></html>\n";
    exit;
}
$title = $settings['site_title'] ?? '';
?>
<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title><?= h($title) ?></title>
<meta name="generator" content="testapp-db <?= h(testapp_version()) ?>">
</head>
<body>
<h1><?= h($title) ?></h1>
<p class="db-version">Database schema <?= h($settings['db_version'] ?? '?') ?></p>
</body>
</html>
