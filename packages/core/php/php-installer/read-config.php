<?php
// Reads config.php of a php-installer app (testapp-db: `return [...]`) and prints it as the result line.
// Input (stdin JSON): dir. Result: {"ok":true,"config":{...}} or {"ok":true,"config":null} when there is none.
if (PHP_SAPI !== 'cli') {
    exit;
}
$in = json_decode((string) stream_get_contents(STDIN), true);
$file = rtrim((string) ($in['dir'] ?? ''), '/') . '/config.php';
ob_start();
$config = is_file($file) ? (require $file) : null;
ob_end_clean();
echo "\n@@INSTALLGATE-RESULT@@ ", json_encode(['ok' => true, 'config' => is_array($config) ? $config : null], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
