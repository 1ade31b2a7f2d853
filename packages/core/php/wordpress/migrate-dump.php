<?php
/*
 * Installgate migration helper: streams the WordPress tables of this site as SQL to the Installgate server that
 * copies it. Placed here under a random name for one migration and deleted right after; it answers only a POST
 * carrying its one-time secret, and refuses to run once it is older than an hour (should the deletion fail).
 * Output: CREATE TABLE + INSERT statements for the tables with the prefix (utf8mb4; binary values as hex), ending
 * with a completion marker so that a dump cut short is recognised. The folder path goes in a response header.
 */
/*@@INSTALLGATE-CONFIG@@*/

@ini_set('display_errors', '0');
@set_time_limit(0);
@ignore_user_abort(false);

function ig_fail($status, $message) {
    http_response_code($status);
    header('Content-Type: text/plain; charset=utf-8');
    echo $message;
    exit;
}

if (($_SERVER['REQUEST_METHOD'] ?? '') !== 'POST') ig_fail(405, 'POST only');
$given = isset($_SERVER['HTTP_X_INSTALLGATE_SECRET']) ? (string) $_SERVER['HTTP_X_INSTALLGATE_SECRET'] : '';
if (!hash_equals(hash('sha256', $IG_SECRET), hash('sha256', $given))) ig_fail(403, 'forbidden');
if (time() - (int) @filemtime(__FILE__) > 3600) ig_fail(410, 'expired');
if (!function_exists('mysqli_init')) ig_fail(500, 'The PHP mysqli extension is not available on the source site.');

mysqli_report(MYSQLI_REPORT_OFF);
// DB_HOST as WordPress reads it: host, host:port, host:/socket, or :/socket.
$host = $IG_DB['host'];
$port = null;
$socket = null;
if (preg_match('/^(.*?):(\/.*)$/', $host, $m)) { $host = $m[1]; $socket = $m[2]; }
elseif (preg_match('/^(.*):(\d+)$/', $host, $m)) { $host = $m[1]; $port = (int) $m[2]; }
if ($host === '') $host = 'localhost';
$db = mysqli_init();
if (!@$db->real_connect($host, $IG_DB['user'], $IG_DB['password'], $IG_DB['name'], $port, $socket)) {
    ig_fail(502, 'The source database could not be opened: ' . mysqli_connect_error());
}
if (!$db->set_charset('utf8mb4')) ig_fail(502, 'The source database does not accept utf8mb4.');

$like = str_replace(array('\\', '_', '%'), array('\\\\', '\\_', '\\%'), $IG_DB['prefix']) . '%';
$res = $db->query("SHOW FULL TABLES LIKE '" . $db->real_escape_string($like) . "'");
if (!$res) ig_fail(502, 'The tables could not be listed: ' . $db->error);
$tables = array();
while ($row = $res->fetch_row()) if ($row[1] === 'BASE TABLE') $tables[] = $row[0];
$res->free();
sort($tables);

header('Content-Type: application/sql; charset=utf-8');
header('X-Installgate-Path: ' . rawurlencode(__DIR__));
header('Cache-Control: no-store');
while (ob_get_level() > 0) ob_end_flush();

$qi = function ($name) { return '`' . str_replace('`', '``', $name) . '`'; };
// Types whose bytes are not text when their character set is binary (63): written as hex.
$byteTypes = array(MYSQLI_TYPE_TINY_BLOB, MYSQLI_TYPE_MEDIUM_BLOB, MYSQLI_TYPE_LONG_BLOB, MYSQLI_TYPE_BLOB,
    MYSQLI_TYPE_STRING, MYSQLI_TYPE_VAR_STRING, MYSQLI_TYPE_BIT, MYSQLI_TYPE_GEOMETRY);

echo "/*!40101 SET SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n/*!40014 SET FOREIGN_KEY_CHECKS=0 */;\n";
foreach ($tables as $table) {
    $res = $db->query('SHOW CREATE TABLE ' . $qi($table));
    if (!$res) { echo "-- failed: SHOW CREATE TABLE\n"; exit; }
    $create = $res->fetch_row();
    $res->free();
    echo "\n" . $create[1] . ";\n";
    $res = $db->query('SELECT * FROM ' . $qi($table), MYSQLI_USE_RESULT);
    if (!$res) { echo "-- failed: SELECT\n"; exit; }
    $fields = $res->fetch_fields();
    $hex = array();
    $bit = array();
    foreach ($fields as $i => $f) {
        $hex[$i] = $f->charsetnr == 63 && in_array($f->type, $byteTypes, true);
        // mysqlnd (every PHP since 5.4 in practice) returns BIT values as decimal text, libmysqlclient as raw bytes.
        $bit[$i] = $f->type === MYSQLI_TYPE_BIT && function_exists('mysqli_fetch_all');
    }
    $head = 'INSERT INTO ' . $qi($table) . ' VALUES ';
    $batch = '';
    while ($row = $res->fetch_row()) {
        $vals = array();
        foreach ($row as $i => $v) {
            if ($v === null) $vals[] = 'NULL';
            elseif ($bit[$i] && ctype_digit($v)) $vals[] = $v;
            elseif ($hex[$i]) $vals[] = $v === '' ? "''" : '0x' . bin2hex($v);
            else $vals[] = "'" . $db->real_escape_string($v) . "'";
        }
        $tuple = '(' . implode(',', $vals) . ')';
        if ($batch !== '' && strlen($batch) + strlen($tuple) > 512 * 1024) { echo $head . $batch . ";\n"; $batch = ''; flush(); }
        $batch .= ($batch === '' ? '' : ',') . $tuple;
    }
    if ($db->errno) { echo "-- failed: rows\n"; exit; }
    $res->free();
    if ($batch !== '') echo $head . $batch . ";\n";
    flush();
}
echo "\n-- installgate-dump-complete\n";
