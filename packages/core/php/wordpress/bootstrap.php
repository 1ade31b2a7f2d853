<?php
// Shared start of Installgate's WordPress helpers (install.php, set-fields.php, inspect.php, ...), run by
// packages/core/src/drivers/wordpress.ts through a PhpExecutor: under PHP CLI on this server, or over HTTP on a
// website's own server, inlined into a one-time helper (php/remote/preamble.php, src/remote/) that checked the
// request's secret and defined IG_REMOTE (its own folder) before this code runs. One body serves both.
//
// Input: one JSON object with "url" (the install's URL) and, under CLI, "dir" (the install's folder, ABSPATH);
// on stdin under CLI, in the POST body over HTTP, where "dir" is the helper's own folder (the engine cannot know
// that folder's path on the site's server). Secrets (passwords) only ever come this way, never from argv or env.
// Output: one line, "@@INSTALLGATE-RESULT@@ " followed by JSON: {"ok":true,...} or
// {"ok":false,"field":"...","message":"..."}, on stdout (CLI) or as the response body (HTTP). Anything else
// WordPress or a plugin prints is discarded; PHP's warnings go to stderr (CLI, display_errors=stderr) or before the
// result line (HTTP, where there is no stderr). No mail is ever sent from a helper (wp_mail is replaced).
if (PHP_SAPI !== 'cli' && !defined('IG_REMOTE')) {
    http_response_code(403);
    exit;
}
const IG_MARKER = '@@INSTALLGATE-RESULT@@ ';
error_reporting(E_ALL & ~E_DEPRECATED & ~E_USER_DEPRECATED);

/** A diagnostic for the engine's error message: stderr under CLI; the response body over HTTP. */
function ig_diag(string $text)
{
    if (defined('IG_REMOTE')) {
        echo $text;
    } else {
        fwrite(STDERR, $text);
    }
}

$IG = json_decode((string) (defined('IG_REMOTE') ? file_get_contents('php://input') : stream_get_contents(STDIN)), true);
if (defined('IG_REMOTE') && is_array($IG)) {
    $IG['dir'] = IG_REMOTE;
}
if (!is_array($IG) || !isset($IG['dir']) || !is_string($IG['dir']) || !is_dir($IG['dir'])) {
    ig_diag("installgate: the input must be a JSON object with an existing \"dir\"\n");
    exit(2);
}
$IG['dir'] = rtrim($IG['dir'], '/');
chdir($IG['dir']);

/** Prints the result line (past any output buffer, whose content is dropped) and exits. */
function ig_out(array $data, int $code)
{
    // A web server's own buffer (zlib.output_compression) may refuse to go: stop there rather than loop forever.
    while (ob_get_level() > 0 && @ob_end_clean()) {
    }
    $line = "\n" . IG_MARKER . json_encode($data, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PARTIAL_OUTPUT_ON_ERROR) . "\n";
    if (defined('IG_REMOTE')) {
        echo $line;
    } else {
        fwrite(STDOUT, $line);
    }
    exit($code);
}

function ig_done(array $data = [])
{
    ig_out(['ok' => true] + $data, 0);
}

/** A refusal the caller can show: $field is the API field at fault (login, email, passwd, db_prefix, ...). */
function ig_fail(string $field, string $message)
{
    ig_out(['ok' => false, 'field' => $field, 'message' => $message], 3);
}

/**
 * Makes WordPress see a web request for $path under the install URL, so that everything it derives from the
 * request (siteurl guessing, is_ssl(), cookie domains) matches the URL the site is served at.
 */
function ig_fake_request(string $url, string $path)
{
    $u = parse_url($url !== '' ? $url : 'http://localhost');
    $https = ($u['scheme'] ?? 'http') === 'https';
    $host = $u['host'] ?? 'localhost';
    $_SERVER['HTTP_HOST'] = $host . (isset($u['port']) ? ':' . $u['port'] : '');
    $_SERVER['SERVER_NAME'] = $host;
    $_SERVER['SERVER_PORT'] = (string) ($u['port'] ?? ($https ? 443 : 80));
    $_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
    $_SERVER['REQUEST_METHOD'] = 'GET';
    $_SERVER['REMOTE_ADDR'] = '127.0.0.1';
    $_SERVER['HTTP_USER_AGENT'] = 'Installgate';
    $base = rtrim($u['path'] ?? '', '/');
    $_SERVER['REQUEST_URI'] = $base . $path;
    $_SERVER['PHP_SELF'] = $_SERVER['SCRIPT_NAME'] = $base . $path;
    if ($https) {
        $_SERVER['HTTPS'] = 'on';
    } else {
        unset($_SERVER['HTTPS']);
    }
}

/** The administrator to act on: the one named $login, else the administrator with the lowest ID. */
function ig_admin_user($login)
{
    if (is_string($login) && $login !== '') {
        $user = get_user_by('login', $login);
        if ($user) {
            return $user;
        }
    }
    $admins = get_users(['role' => 'administrator', 'orderby' => 'ID', 'order' => 'ASC', 'number' => 1]);
    return $admins ? $admins[0] : null;
}

// Pluggable functions, defined before WordPress defines its own: a helper never sends mail.
function wp_mail($to, $subject, $message, $headers = '', $attachments = [])
{
    return true;
}
function wp_new_blog_notification($blog_title, $blog_url, $user_id, $password)
{
}

// No cron runs and no outside HTTP from a helper (requests to the site itself stay allowed).
if (!defined('DISABLE_WP_CRON')) {
    define('DISABLE_WP_CRON', true);
}
if (!defined('WP_HTTP_BLOCK_EXTERNAL')) {
    define('WP_HTTP_BLOCK_EXTERNAL', true);
}

// Whatever WordPress, a theme or a plugin prints is not ours to pass on.
ob_start();

// WordPress ends with die() on fatal conditions (e.g. "Error establishing a database connection") and exits 0:
// the missing result line is how the caller tells. Fatal PHP errors are reported on stderr as usual.
register_shutdown_function(function () {
    $e = error_get_last();
    if ($e && in_array($e['type'], [E_ERROR, E_PARSE, E_CORE_ERROR, E_COMPILE_ERROR], true)) {
        ig_diag("\ninstallgate: PHP fatal error: {$e['message']} in {$e['file']}:{$e['line']}\n");
    }
});
