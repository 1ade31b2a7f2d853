<?php
// Moves a WordPress site's database to a new URL, folder and/or table prefix, the way `wp search-replace` does:
// every text column of every table with the prefix, with PHP-serialized values rewritten token by token so their
// string lengths stay right (also serialized values nested inside serialized strings); JSON and plain text by
// exact replacement (the caller also passes the `\/`-escaped forms). `posts.guid` is never changed (WordPress:
// a GUID is an identifier, not a link).
// Input (stdin JSON): dir, pairs: [[from, to], ...], old_prefix, new_prefix (the prefix wp-config.php already has),
// tables (optional): only these tables (a sync relocates only the tables it copied, never the target's others).
// Result: {"ok":true,"rows":<rows changed>,"cells":<values changed>}.
require __DIR__ . '/bootstrap.php';

define('SHORTINIT', true);
require $IG['dir'] . '/wp-load.php';

$pairs = is_array($IG['pairs'] ?? null) ? $IG['pairs'] : [];
$from = [];
$to = [];
foreach ($pairs as $p) {
    if (is_array($p) && count($p) === 2 && is_string($p[0]) && is_string($p[1]) && $p[0] !== '' && $p[0] !== $p[1]) {
        $from[] = $p[0];
        $to[] = $p[1];
    }
}
$oldPrefix = (string) ($IG['old_prefix'] ?? '');
$newPrefix = (string) ($IG['new_prefix'] ?? '');
global $wpdb;
$wpdb->suppress_errors(true);
if ($wpdb->prefix !== $newPrefix) {
    ig_fail('db_prefix', 'wp-config.php does not have the new table prefix.');
}

/** One serialized value at $p (advanced past it), with strings rewritten; null when $s is not serialized there. */
function ig_ser_value(string $s, int &$p, array $from, array $to)
{
    $t = $s[$p] ?? '';
    if ($t === 'N') {
        if (substr($s, $p, 2) !== 'N;') return null;
        $p += 2;
        return 'N;';
    }
    if ($t === 'b' || $t === 'i' || $t === 'd' || $t === 'r' || $t === 'R') {
        $e = strpos($s, ';', $p);
        if ($e === false || ($s[$p + 1] ?? '') !== ':') return null;
        $tok = substr($s, $p, $e - $p + 1);
        $p = $e + 1;
        return $tok;
    }
    if ($t === 's') {
        if (!preg_match('/\Gs:(\d+):"/', $s, $m, 0, $p)) return null;
        $start = $p + strlen($m[0]);
        $len = (int) $m[1];
        if (substr($s, $start + $len, 2) !== '";') return null;
        $new = ig_replace_text(substr($s, $start, $len), $from, $to);
        $p = $start + $len + 2;
        return 's:' . strlen($new) . ':"' . $new . '";';
    }
    if ($t === 'E') {
        if (!preg_match('/\GE:(\d+):"/', $s, $m, 0, $p)) return null;
        $end = $p + strlen($m[0]) + (int) $m[1];
        if (substr($s, $end, 2) !== '";') return null;
        $tok = substr($s, $p, $end + 2 - $p);
        $p = $end + 2;
        return $tok;
    }
    if ($t === 'a' || $t === 'O') {
        if ($t === 'a') {
            if (!preg_match('/\Ga:(\d+):\{/', $s, $m, 0, $p)) return null;
            $out = $m[0];
            $count = (int) $m[1];
            $p += strlen($m[0]);
        } else {
            if (!preg_match('/\GO:(\d+):"/', $s, $m, 0, $p)) return null;
            $cstart = $p + strlen($m[0]);
            $class = substr($s, $cstart, (int) $m[1]);
            $p = $cstart + (int) $m[1];
            if (!preg_match('/\G":(\d+):\{/', $s, $m2, 0, $p)) return null;
            $out = $m[0] . $class . $m2[0];
            $count = (int) $m2[1];
            $p += strlen($m2[0]);
        }
        for ($i = 0; $i < $count * 2; $i++) {
            $v = ig_ser_value($s, $p, $from, $to);
            if ($v === null) return null;
            $out .= $v;
        }
        if (($s[$p] ?? '') !== '}') return null;
        $p++;
        return $out . '}';
    }
    if ($t === 'C') {
        // Custom serialization (Serializable): its payload is the class's own format; copied as it is.
        if (!preg_match('/\GC:(\d+):"/', $s, $m, 0, $p)) return null;
        $q = $p + strlen($m[0]) + (int) $m[1];
        if (!preg_match('/\G":(\d+):\{/', $s, $m2, 0, $q)) return null;
        $end = $q + strlen($m2[0]) + (int) $m2[1];
        if (($s[$end] ?? '') !== '}') return null;
        $tok = substr($s, $p, $end + 1 - $p);
        $p = $end + 1;
        return $tok;
    }
    return null;
}

/** Replaces in one value: serialized data token by token, anything else as plain text. */
function ig_replace_text(string $v, array $from, array $to): string
{
    if ($v === '' || !$from) return $v;
    $found = false;
    foreach ($from as $f) {
        if (strpos($v, $f) !== false) {
            $found = true;
            break;
        }
    }
    if (!$found) return $v;
    if (preg_match('/^(?:[abiOdsCE]:|N;)/', $v)) {
        $p = 0;
        $r = ig_ser_value($v, $p, $from, $to);
        if ($r !== null && $p === strlen($v)) return $r;
    }
    return str_replace($from, $to, $v);
}

$changedRows = 0;
$changedCells = 0;
$like = $wpdb->esc_like($newPrefix) . '%';
$tables = $wpdb->get_col($wpdb->prepare('SHOW TABLES LIKE %s', $like));
$only = is_array($IG['tables'] ?? null) ? array_values(array_filter($IG['tables'], 'is_string')) : null;
if ($only !== null) $tables = array_values(array_intersect($tables, $only));
foreach ($tables as $table) {
    $cols = $wpdb->get_results('SHOW COLUMNS FROM `' . str_replace('`', '``', $table) . '`', ARRAY_A);
    $pk = [];
    $text = [];
    foreach ($cols as $c) {
        if ($c['Key'] === 'PRI') $pk[] = $c['Field'];
        if (preg_match('/char|text|json|enum|set/i', $c['Type']) && !($table === $newPrefix . 'posts' && $c['Field'] === 'guid')) {
            $text[] = $c['Field'];
        }
    }
    if (!$pk || !$text || !$from) continue;
    $q = fn($n) => '`' . str_replace('`', '``', $n) . '`';
    $where = [];
    $args = [];
    foreach ($text as $c) {
        foreach ($from as $f) {
            $where[] = $q($c) . ' LIKE %s';
            $args[] = '%' . $wpdb->esc_like($f) . '%';
        }
    }
    $sql = 'SELECT ' . implode(', ', array_map($q, array_unique(array_merge($pk, $text)))) . ' FROM ' . $q($table) . ' WHERE ' . implode(' OR ', $where);
    // Matching rows one page at a time (by primary key) so memory stays small on big tables.
    $offset = 0;
    while (true) {
        $rows = $wpdb->get_results($wpdb->prepare($sql . ' ORDER BY ' . implode(', ', array_map($q, $pk)) . ' LIMIT 500 OFFSET ' . $offset, $args), ARRAY_A);
        if ($wpdb->last_error) ig_fail('', 'Reading ' . $table . ' failed: ' . $wpdb->last_error);
        if (!$rows) break;
        $still = 0;
        foreach ($rows as $row) {
            $set = [];
            foreach ($text as $c) {
                if ($row[$c] === null) continue;
                $new = ig_replace_text($row[$c], $from, $to);
                if ($new !== $row[$c]) $set[$c] = $new;
            }
            if (!$set) {
                $still++;
                continue;
            }
            $key = [];
            foreach ($pk as $k) $key[$k] = $row[$k];
            if ($wpdb->update($table, $set, $key) === false) ig_fail('', 'Updating ' . $table . ' failed: ' . $wpdb->last_error);
            $changedRows++;
            $changedCells += count($set);
        }
        // Changed rows no longer match; rows that matched but needed no change (e.g. only in guid) stay in the set.
        $offset += $still;
        if (count($rows) < 500) break;
    }
}

// WordPress keeps the prefix inside some option names and user meta keys (wp_user_roles, wp_capabilities).
if ($oldPrefix !== '' && $oldPrefix !== $newPrefix) {
    $n = strlen($oldPrefix) + 1;
    if ($only === null || in_array($newPrefix . 'options', $only, true)) $wpdb->query($wpdb->prepare('UPDATE `' . $newPrefix . 'options` SET option_name = CONCAT(%s, SUBSTRING(option_name, %d)) WHERE option_name LIKE %s', $newPrefix, $n, $wpdb->esc_like($oldPrefix) . '%'));
    if ($only === null || in_array($newPrefix . 'usermeta', $only, true)) $wpdb->query($wpdb->prepare('UPDATE `' . $newPrefix . 'usermeta` SET meta_key = CONCAT(%s, SUBSTRING(meta_key, %d)) WHERE meta_key LIKE %s', $newPrefix, $n, $wpdb->esc_like($oldPrefix) . '%'));
}
ig_done(['rows' => $changedRows, 'cells' => $changedCells]);
