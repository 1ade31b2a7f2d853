<?php
// Reads or changes one plugin or theme of a WordPress site through WordPress itself (spec §2.3): activation with
// activate_plugin()/deactivate_plugins() and switch_theme(), automatic updates in WordPress's own
// auto_update_plugins / auto_update_themes site options (the list ig_addons() reads back as `autoup`).
// Input (stdin JSON): dir, url, kind ("plugins"|"themes"), action ("list"|"edit"|"remove"), slug (edit/remove),
// activated? (bool), autoup? ("none"|"all").
// "remove" prepares the deletion of the files (done by the caller): deactivates the plugin, runs its uninstall
// hook, drops it from the auto-update list; the active theme (or the parent of the active theme) is refused.
// Result: {"ok":true,"items":[{id,file,name,description,author,version,activated,autoup}]} (after the change).
require __DIR__ . '/bootstrap.php';

ig_fake_request((string) ($IG['url'] ?? ''), '/wp-admin/');
require $IG['dir'] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once ABSPATH . 'wp-admin/includes/theme.php';

$kind = $IG['kind'] ?? '';
$action = $IG['action'] ?? 'list';
$slug = is_string($IG['slug'] ?? null) ? $IG['slug'] : '';
$option = $kind === 'plugins' ? 'auto_update_plugins' : 'auto_update_themes';

/** Every plugin or theme: id (slug), file (plugin file relative to the plugins folder; theme: its folder). */
function ig_items(string $kind): array
{
    $out = [];
    if ($kind === 'plugins') {
        $auto = (array) get_site_option('auto_update_plugins', []);
        foreach (get_plugins() as $file => $d) {
            $out[] = [
                'id' => dirname($file) === '.' ? basename($file, '.php') : dirname($file),
                'file' => $file,
                'name' => (string) ($d['Name'] ?? ''),
                'description' => wp_strip_all_tags((string) ($d['Description'] ?? '')),
                'author' => wp_strip_all_tags((string) ($d['Author'] ?? '')),
                'version' => (string) ($d['Version'] ?? ''),
                'activated' => is_plugin_active($file),
                'autoup' => in_array($file, $auto, true) ? 'all' : 'none',
            ];
        }
        return $out;
    }
    $auto = (array) get_site_option('auto_update_themes', []);
    $active = get_stylesheet();
    foreach (wp_get_themes() as $id => $t) {
        $out[] = [
            'id' => (string) $id,
            'file' => (string) $id,
            'name' => (string) $t->get('Name'),
            'description' => wp_strip_all_tags((string) $t->get('Description')),
            'author' => wp_strip_all_tags((string) $t->get('Author')),
            'version' => (string) $t->get('Version'),
            'activated' => $id === $active,
            'autoup' => in_array((string) $id, $auto, true) ? 'all' : 'none',
        ];
    }
    return $out;
}

function ig_find(string $kind, string $slug)
{
    foreach (ig_items($kind) as $item) {
        if ($item['id'] === $slug) {
            return $item;
        }
    }
    ig_fail('slug', "No " . ($kind === 'plugins' ? 'plugin' : 'theme') . " $slug is installed on this site.");
}

/** Adds or removes one entry of an auto-update site option. */
function ig_set_autoup(string $option, string $entry, bool $on)
{
    $list = array_values(array_diff((array) get_site_option($option, []), [$entry]));
    if ($on) {
        $list[] = $entry;
    }
    update_site_option($option, $list);
}

if ($kind !== 'plugins' && $kind !== 'themes') {
    ig_fail('kind', 'kind must be plugins or themes');
}
// Activation hooks and capability checks of plugins run as the site's administrator, as in wp-admin.
$admin = ig_admin_user(null);
if ($admin) {
    wp_set_current_user($admin->ID);
}

if ($action === 'edit') {
    $item = ig_find($kind, $slug);
    if (isset($IG['autoup'])) {
        ig_set_autoup($option, $item['file'], $IG['autoup'] === 'all');
    }
    if (isset($IG['activated']) && $IG['activated'] !== $item['activated']) {
        if ($kind === 'plugins' && $IG['activated']) {
            $r = activate_plugin($item['file']);
            if (is_wp_error($r)) {
                ig_fail('activated', "WordPress did not activate the plugin $slug: " . wp_strip_all_tags($r->get_error_message()));
            }
        } elseif ($kind === 'plugins') {
            deactivate_plugins([$item['file']]);
        } elseif ($IG['activated']) {
            $theme = wp_get_theme($slug);
            if (!$theme->exists() || !$theme->is_allowed() || $theme->errors()) {
                ig_fail('activated', "WordPress cannot activate the theme $slug" . ($theme->errors() ? ': ' . $theme->errors()->get_error_message() : '.'));
            }
            // switch_theme() would wp_die() on a theme needing a newer WordPress/PHP: refused here with its reason.
            $ok = validate_theme_requirements($slug);
            if (is_wp_error($ok)) {
                ig_fail('activated', "WordPress did not activate the theme $slug: " . wp_strip_all_tags($ok->get_error_message()) . ' (it requires WordPress ' . ($theme->get('RequiresWP') ?: '?') . ', PHP ' . ($theme->get('RequiresPHP') ?: '?') . ').');
            }
            switch_theme($slug);
        } else {
            // A site always has one theme: deactivating the active one is refused, as wp-admin has no such action.
            ig_fail('activated', "The theme $slug is the active theme; activate another theme instead of deactivating it.");
        }
    }
} elseif ($action === 'remove') {
    $item = ig_find($kind, $slug);
    if ($kind === 'plugins') {
        if ($item['activated']) {
            deactivate_plugins([$item['file']], true);
        }
        if (is_uninstallable_plugin($item['file'])) {
            uninstall_plugin($item['file']);
        }
    } elseif ($slug === get_stylesheet() || $slug === get_template()) {
        ig_fail('slug', "The theme $slug is " . ($slug === get_stylesheet() ? 'the active theme' : 'the parent of the active theme') . ' and cannot be deleted; activate another theme first.');
    }
    ig_set_autoup($option, $item['file'], false);
} elseif ($action !== 'list') {
    ig_fail('action', 'action must be list, edit or remove');
}

ig_done(['items' => ig_items($kind)]);
