<?php
// testapp-static installer (command line only): an application without a database.
//
//   php installer.php --site-title=TITLE
//
// Writes index.html from index.template.html. The options of the database apps (--db-*, --admin-*) are accepted and
// ignored, so one installer call fits every test app. --site-title may come from TESTAPP_SITE_TITLE instead.
// Success: exit 0 and one JSON line on stdout. Failure: exit 1 and a message on stderr.
if (PHP_SAPI !== 'cli') {
    http_response_code(403);
    exit("installer.php runs from the command line only\n");
}
$fail = function (string $message): void {
    fwrite(STDERR, "testapp-static: $message\n");
    exit(1);
};
$title = getenv('TESTAPP_SITE_TITLE');
foreach (array_slice($argv, 1) as $arg) {
    if (preg_match('/^--site-title=(.*)$/s', $arg, $m)) {
        $title = $m[1];
    } elseif (!preg_match('/^--(db|admin)-[a-z]+=/', $arg)) {
        $fail('unknown argument ' . explode('=', $arg, 2)[0]);
    }
}
if ($title === false || $title === '') {
    $fail('missing --site-title');
}
$version = trim((string) file_get_contents(__DIR__ . '/VERSION'));
$html = strtr((string) file_get_contents(__DIR__ . '/index.template.html'), [
    '{{site_title}}' => htmlspecialchars($title, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8'),
    '{{version}}' => $version,
]);
file_put_contents(__DIR__ . '/index.html.tmp', $html);
rename(__DIR__ . '/index.html.tmp', __DIR__ . '/index.html');
echo json_encode(['ok' => true, 'app' => 'testapp-static', 'version' => $version]) . "\n";
