<?php
// Applies changed install fields to a WordPress site through WordPress's own APIs.
// Input (stdin JSON): dir, url, login? (the administrator to change; default: the administrator with the lowest
// ID), changes: {login?, passwd?, email?, sitetitle?, sitetagline?, locale?}.
// Result: {"ok":true,"login":"<the administrator's login afterwards>"}.
require __DIR__ . '/bootstrap.php';

ig_fake_request((string) ($IG['url'] ?? ''), '/wp-admin/');
require $IG['dir'] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/user.php';

$changes = is_array($IG['changes'] ?? null) ? $IG['changes'] : [];
$user = ig_admin_user($IG['login'] ?? null);
if (!$user) {
    ig_fail('login', 'The site has no administrator.');
}
// Changing credentials must not mail the site owner from a helper run (wp_mail is a no-op anyway).
add_filter('send_password_change_email', '__return_false');
add_filter('send_email_change_email', '__return_false');

if (isset($changes['login']) && $changes['login'] !== $user->user_login) {
    $new = (string) $changes['login'];
    if ($new === '' || $new !== sanitize_user($new, true) || !validate_username($new)) {
        ig_fail('login', 'The admin username may contain only letters, numbers, spaces, and . - _ @');
    }
    if (username_exists($new)) {
        ig_fail('login', 'Another user already has this username.');
    }
    // wp_update_user() never changes user_login; WordPress itself offers no API for it.
    global $wpdb;
    $wpdb->update($wpdb->users, ['user_login' => $new], ['ID' => $user->ID]);
    clean_user_cache($user);
    $user = get_user_by('id', $user->ID);
}
if (isset($changes['email'])) {
    $email = (string) $changes['email'];
    if (!is_email($email)) {
        ig_fail('email', 'The admin email address is not valid.');
    }
    $owner = email_exists($email);
    if ($owner && (int) $owner !== (int) $user->ID) {
        ig_fail('email', 'Another user already has this email address.');
    }
    $r = wp_update_user(['ID' => $user->ID, 'user_email' => $email]);
    if (is_wp_error($r)) {
        ig_fail('email', $r->get_error_message());
    }
    update_option('admin_email', $email);
}
if (isset($changes['passwd'])) {
    $password = (string) $changes['passwd'];
    if ($password === '') {
        ig_fail('passwd', 'The admin password is empty.');
    }
    // Slashed, as WordPress's own forms store it (see install.php).
    wp_set_password(wp_slash($password), $user->ID);
}
if (isset($changes['sitetitle'])) {
    update_option('blogname', (string) $changes['sitetitle']);
}
if (isset($changes['sitetagline'])) {
    update_option('blogdescription', (string) $changes['sitetagline']);
}
if (isset($changes['locale'])) {
    $locale = (string) $changes['locale'];
    if ($locale !== '' && !in_array($locale, get_available_languages(), true)) {
        ig_fail('language', "The language $locale is not installed on this site.");
    }
    update_option('WPLANG', $locale);
}
ig_done(['login' => $user->user_login]);
