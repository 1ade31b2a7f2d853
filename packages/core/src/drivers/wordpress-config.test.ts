import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePhpBinary } from '@installgate/testkit';
import type { DbCredentials } from '../runtime/db-server';
import { parseWpConfig, renderWpConfig, renewWpSalts, rewriteWpConfig } from './wordpress-config';

const nasty: DbCredentials = { db_host: '127.0.0.1:3307', db_name: 'wp_db', db_user: 'wp_user', db_pass: `a'b\\c"$d$1 {$x} \\'`, db_prefix: 'wp_' };

/** What PHP itself makes of the defines (the file minus its last line, which would load WordPress). */
function phpDefines(text: string): Record<string, string> {
  requirePhpBinary();
  const dir = mkdtempSync(join(tmpdir(), 'ig-wpconfig-'));
  try {
    const file = join(dir, 'wp-config.php');
    writeFileSync(file, text.replace(/require_once ABSPATH[^\n]*/, ''));
    const out = execFileSync('php', ['-r', 'require $argv[1]; echo json_encode([DB_NAME, DB_USER, DB_PASSWORD, DB_HOST, $table_prefix, WP_AUTO_UPDATE_CORE, AUTH_KEY]);', file]);
    const [name, user, pass, host, prefix, autoup, authKey] = JSON.parse(out.toString());
    return { name, user, pass, host, prefix, autoup, authKey };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('wp-config.php', () => {
  it('renews every key and salt, and nothing else', () => {
    const text = renderWpConfig(nasty);
    const renewed = renewWpSalts(text);
    const before = phpDefines(text);
    const after = phpDefines(renewed);
    expect(after.authKey).toMatch(/^[A-Za-z0-9+/]{64}$/);
    expect(after.authKey).not.toBe(before.authKey);
    expect({ ...after, authKey: '' }).toEqual({ ...before, authKey: '' });
    const salts = (t: string) => t.split('\n').filter((l) => /_(KEY|SALT)'/.test(l));
    expect(salts(renewed)).toHaveLength(8);
    salts(renewed).forEach((l, i) => expect(l).not.toBe(salts(text)[i]));
    expect(renewed.split('\n').filter((l) => !/_(KEY|SALT)'/.test(l))).toEqual(text.split('\n').filter((l) => !/_(KEY|SALT)'/.test(l)));
  });

  it('renders values PHP reads back exactly, with random salts and core updates off', () => {
    const text = renderWpConfig(nasty);
    expect(phpDefines(text)).toMatchObject({ name: 'wp_db', user: 'wp_user', pass: nasty.db_pass, host: '127.0.0.1:3307', prefix: 'wp_', autoup: false });
    expect(phpDefines(text).authKey).toMatch(/^[A-Za-z0-9+/]{64}$/);
    expect(/AUTH_KEY', '([^']+)'/.exec(renderWpConfig(nasty))?.[1]).not.toBe(/AUTH_KEY', '([^']+)'/.exec(text)?.[1]);
  });

  it('parses what it rendered, and a typical hand-written config', () => {
    expect(parseWpConfig(renderWpConfig(nasty))).toEqual(nasty);
    const handWritten = `<?php\ndefine("DB_NAME", "blog");\ndefine('DB_USER','bob');\ndefine( 'DB_PASSWORD', "p\\$w\\"d" );\ndefine('DB_HOST', 'localhost');\n$table_prefix  = "wp2_";\n`;
    expect(parseWpConfig(handWritten)).toEqual({ db_name: 'blog', db_user: 'bob', db_pass: 'p$w"d', db_host: 'localhost', db_prefix: 'wp2_' });
  });

  it('returns null when a value is computed, not a literal', () => {
    expect(parseWpConfig(`<?php define('DB_NAME', getenv('X')); define('DB_USER','u'); define('DB_PASSWORD','p'); define('DB_HOST','h'); $table_prefix='wp_';`)).toBeNull();
    expect(parseWpConfig(`<?php define('DB_NAME', "db_$x"); define('DB_USER','u'); define('DB_PASSWORD','p'); define('DB_HOST','h'); $table_prefix='wp_';`)).toBeNull();
  });

  it('rewrites only the database settings, `$` in values included', () => {
    const before = renderWpConfig({ ...nasty, db_pass: 'old' });
    const after = rewriteWpConfig(before, nasty);
    expect(parseWpConfig(after)).toEqual(nasty);
    expect(phpDefines(after).pass).toBe(nasty.db_pass);
    const salts = (t: string) => t.split('\n').filter((l) => /_(KEY|SALT)'/.test(l));
    expect(salts(after)).toEqual(salts(before));
    expect(() => rewriteWpConfig('<?php // nothing', nasty)).toThrow(expect.objectContaining({ errcode: 'internal_error' }));
  });
});
