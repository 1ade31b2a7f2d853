import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startAppHarness, type AppHarness } from './app-harness';
import { fetchPage, tablesOf, tree } from './install-helpers';

/**
 * Backups of the generic test app (testapp-db: files + MariaDB tables) at the `local` location, in both
 * protocols: backup, list, restore in place after damage, restore-to a new URL and database, delete, import of
 * copied archives (v2 scan, v1 one path), and a damaged archive that must leave the live site untouched.
 */
let h: AppHarness;
let home: string;
let backupsDir: string;

beforeAll(async () => {
  h = await startAppHarness('bob');
  home = path.dirname(h.docroot);
  backupsDir = path.join(home, 'application_backups');
}, 180_000);
afterAll(async () => { await h?.stopAll(); }, 60_000);

const at = (p: string) => `${h.site}/${p}`;

interface Rec { id: string; path: string; url: string; files: string[]; tables: string[]; db_name: string; db_prefix: string; title: string }
interface BackupRec extends Rec { backup_filename: string; backup_install: string; backup_location: string; backup_note: string; backup_time: number; backup_expires: number }

/** Checksums and counts of an install's tables, to compare a site before and after. */
async function dbState(r: Rec): Promise<string[]> {
  const tables = await tablesOf(h, r.db_name);
  const sums = await h.sql(`CHECKSUM TABLE ${tables.map((t) => `\`${r.db_name}\`.\`${t}\``).join(', ')}`);
  return [...tables, ...sums];
}

/** Every file under the install's folder with its bytes, to prove "byte-identical". */
function filesState(dir: string): string[] {
  return tree(dir).map((line) => {
    const name = line.split(' ')[0]!;
    return line.endsWith('/') ? line : `${line} ${createHash('sha256').update(fs.readFileSync(path.join(dir, name))).digest('hex')}`;
  });
}

let site: Rec;
let b1: BackupRec;

test('v2 backup: a .tar.gz in the account\'s application_backups, the record listed in both protocols', async () => {
  const r = await h.v2('post', '/browser/testapp-db/install').send({ url: at('bk'), user: 'bob', sitetitle: 'Backed Up Site' });
  expect(r.body).toMatchObject({ result: true });
  site = r.body.data;
  const b = await h.v2('post', `/installs/${site.id}/backup`).send({ user: 'bob', backup_note: 'before the storm', expiry: 7 });
  expect({ status: b.status, result: b.body.result, errcode: b.body.errcode }).toEqual({ status: 200, result: true, errcode: null });
  b1 = b.body.data;
  expect(b1).toMatchObject({ backup_install: site.id, backup_location: 'local', backup_note: 'before the storm', url: site.url, tables: site.tables, user: 'bob' });
  expect(b1.id).not.toBe(site.id);
  expect(b1.backup_filename).toMatch(/^app_127-0-0-1_Backed-Up-Site_\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d\.tar\.gz$/);
  expect(b1.backup_expires - b1.backup_time).toBe(7 * 86400);
  expect(fs.readdirSync(backupsDir)).toEqual([b1.backup_filename]);
  const listed = (await h.v2('get', `/backups?user=bob&pid=${site.id}`).expect(200)).body.data;
  expect(listed.map((x: BackupRec) => x.id)).toEqual([b1.id]);
  const v1 = await h.v1({ cmd: 'backups', user: 'bob', id: b1.id });
  expect(v1.body.data).toMatchObject({ id: b1.id, 'backup-filename': b1.backup_filename, 'backup-install': site.id });
}, 60_000);

test('restore in place after files deleted and a table dropped: the page, files and tables come back', async () => {
  const beforeFiles = filesState(site.path);
  const beforeDb = await dbState(site);
  fs.rmSync(path.join(site.path, 'index.php'));
  await h.sql(`DROP TABLE \`${site.db_name}\`.ta_options`);
  expect((await fetchPage(`${at('bk')}/`)).status).not.toBe(200);
  const r = await h.v2('post', `/backups/${b1.id}/restore`).send({ user: 'bob' });
  expect({ status: r.status, result: r.body.result, errcode: r.body.errcode, message: r.body.message }).toMatchObject({ status: 200, result: true, errcode: null });
  expect(r.body.data).toMatchObject({ id: site.id, path: site.path, db_name: site.db_name, tables: site.tables });
  expect(filesState(site.path)).toEqual(beforeFiles);
  expect(await dbState(site)).toEqual(beforeDb);
  expect((await fetchPage(`${at('bk')}/`)).body).toContain('<title>Backed Up Site</title>');
  // Nothing of the restore is left beside the site: no staging folder, no temporary or old tables.
  expect(fs.readdirSync(site.path).filter((n) => n.startsWith('.ig-'))).toEqual([]);
  expect(await tablesOf(h, site.db_name)).toEqual(site.tables);
}, 60_000);

test('v1 backup and restoreto: a second working site at a new URL with its own database', async () => {
  const b = await h.v1({ cmd: 'backup', id: site.id, user: 'bob' });
  expect(b.body).toMatchObject({ result: true, errcode: null });
  const v1Backup = b.body.data;
  expect(v1Backup).toMatchObject({ 'backup-install': site.id, 'backup-location': 'local' });
  const r = await h.v1({ cmd: 'restoreto', id: v1Backup.id, user: 'bob', url: at('copy') });
  expect(r.body).toMatchObject({ result: true, errcode: null });
  const copy = (await h.v2('get', `/installs/${r.body.data.id}`).expect(200)).body.data as Rec;
  expect(copy.id).not.toBe(site.id);
  expect(copy).toMatchObject({ url: at('copy'), path: path.join(h.docroot, 'copy'), tables: site.tables });
  expect(copy.db_name).not.toBe(site.db_name);
  expect(await tablesOf(h, copy.db_name)).toEqual(site.tables);
  expect((await fetchPage(`${at('copy')}/`)).body).toContain('<title>Backed Up Site</title>');
  expect((await fetchPage(`${at('bk')}/`)).body).toContain('<title>Backed Up Site</title>');
  // The copy is an install like any other: uninstalling it removes its database, not the original's.
  expect((await h.v2('delete', `/installs/${copy.id}`)).body.result).toBe(true);
  expect((await h.sql(`SHOW DATABASES LIKE '${copy.db_name}'`)).length).toBe(0);
  expect(await tablesOf(h, site.db_name)).toEqual(site.tables);
}, 60_000);

test('regression: a file and a table added after the install are backed up and restored (the record\'s lists were stale)', async () => {
  fs.writeFileSync(path.join(site.path, '.htaccess'), '# added by the site after install\n');
  await h.sql(`CREATE TABLE \`${site.db_name}\`.ta_added (id INT PRIMARY KEY); INSERT INTO \`${site.db_name}\`.ta_added VALUES (1), (2), (3);`);
  // Another install nested in this one's folder is not part of its backup.
  const nested = await h.v2('post', '/browser/testapp-static/install').send({ url: at('bk/nested'), user: 'bob', sitetitle: 'Nested' });
  expect(nested.body.result).toBe(true);
  const b = await h.v2('post', `/installs/${site.id}/backup`).send({ user: 'bob' });
  expect(b.body.data.files).toContain('.htaccess');
  expect(b.body.data.files).not.toContain('nested');
  expect(b.body.data.tables).toEqual([...site.tables, 'ta_added'].sort());
  expect((await h.v2('get', `/installs/${site.id}`).query({ user: 'bob' })).body.data.tables).toContain('ta_added');
  const r = await h.v2('post', `/backups/${b.body.data.id}/restoreto`).send({ user: 'bob', url: at('grown') });
  expect(r.body.result).toBe(true);
  expect(fs.readFileSync(path.join(h.docroot, 'grown', '.htaccess'), 'utf8')).toBe('# added by the site after install\n');
  expect(fs.existsSync(path.join(h.docroot, 'grown', 'nested'))).toBe(false);
  expect(await h.sql(`SELECT COUNT(*) FROM \`${r.body.data.db_name}\`.ta_added`)).toEqual(['3']);
  expect((await h.v1({ cmd: 'delete', id: b.body.data.id, user: 'bob' })).body.result).toBe(true);
}, 60_000);

test('one flipped byte in the archive: restore fails with failed_backup_format and the live site stays byte-identical', async () => {
  const file = path.join(backupsDir, b1.backup_filename);
  const original = fs.readFileSync(file);
  const bad = Buffer.from(original);
  bad[Math.floor(bad.length / 2)] ^= 0x01;
  fs.writeFileSync(file, bad);
  try {
    const beforeFiles = filesState(site.path);
    const beforeDb = await dbState(site);
    for (const call of [() => h.v2('post', `/backups/${b1.id}/restore`).send({ user: 'bob' }), () => h.v1({ cmd: 'restore', id: b1.id, user: 'bob' })]) {
      const r = await call();
      expect({ result: r.body.result, errcode: r.body.errcode }).toEqual({ result: false, errcode: 'failed_backup_format' });
    }
    expect(filesState(site.path)).toEqual(beforeFiles);
    expect(await dbState(site)).toEqual(beforeDb);
    expect(fs.readdirSync(site.path).filter((n) => n.startsWith('.ig-'))).toEqual([]);
    expect((await h.sql(`SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${site.db_name}' AND TABLE_NAME LIKE 'ig%'`))).toEqual([]);
    // The listing does not read archives: a damaged one never breaks it.
    expect((await h.v2('get', '/backups?user=bob').expect(200)).body.data.map((x: BackupRec) => x.id)).toContain(b1.id);
  } finally {
    fs.writeFileSync(file, original);
  }
}, 60_000);

test('import: archives copied into the folder are registered once; v1 importbackup takes one path; delete removes only the recorded archive', async () => {
  const copied = 'app_127-0-0-1_Backed-Up-Site_2020-01-01_00-00-00.tar.gz';
  fs.copyFileSync(path.join(backupsDir, b1.backup_filename), path.join(backupsDir, copied));
  fs.writeFileSync(path.join(backupsDir, 'not-a-backup.tar.gz'), 'hello');
  const r = await h.v2('post', '/backups/import').send({ user: 'bob' });
  expect({ status: r.status, result: r.body.result }).toEqual({ status: 200, result: true });
  expect(r.body.message).toBe('1 backup imported, 2 already exist, 1 skipped.');
  expect(r.body.data).toHaveLength(1);
  const imported = r.body.data[0] as BackupRec;
  expect(imported).toMatchObject({ backup_filename: copied, backup_location: 'local', user: 'bob', application: 'testapp-db' });
  expect(r.body.total_count).toBe(1);
  const again = await h.v2('post', '/backups/import').send({ user: 'bob' });
  expect(again.body.message).toBe('0 backups imported, 3 already exist, 1 skipped.');
  // The imported archive restores.
  const to = await h.v2('post', `/backups/${imported.id}/restoreto`).send({ user: 'bob', url: at('from-import') });
  expect(to.body).toMatchObject({ result: true, data: { url: at('from-import') } });
  expect((await fetchPage(`${at('from-import')}/`)).body).toContain('<title>Backed Up Site</title>');

  // v1: one archive by path, relative to the user's home.
  fs.mkdirSync(path.join(home, 'incoming'));
  fs.copyFileSync(path.join(backupsDir, b1.backup_filename), path.join(home, 'incoming', 'site.tar.gz'));
  const v1 = await h.v1({ cmd: 'importbackup', user: 'bob', path: 'incoming/site.tar.gz' });
  expect(v1.body).toMatchObject({ result: true, errcode: null });
  const notBackup = await h.v1({ cmd: 'importbackup', user: 'bob', path: 'application_backups/not-a-backup.tar.gz' });
  expect(notBackup.body).toMatchObject({ result: false, errcode: 'failed_backup_format' });
  const escape = await h.v1({ cmd: 'importbackup', user: 'bob', path: '../../etc/passwd.tar.gz' });
  expect(escape.body).toMatchObject({ result: false, errcode: 'invalid_argument_path' });

  // Delete (v2 and v1): the recorded archive goes, the record goes, nothing else in the folder is touched.
  const d = await h.v2('delete', `/backups/${imported.id}`).query({ user: 'bob' });
  expect(d.body).toMatchObject({ result: true, errcode: null });
  expect(fs.existsSync(path.join(backupsDir, copied))).toBe(false);
  expect(fs.existsSync(path.join(backupsDir, 'not-a-backup.tar.gz'))).toBe(true);
  expect((await h.v2('get', `/backups/${imported.id}`).query({ user: 'bob' })).body.errcode).toBe('backup_not_found');
  const d1 = await h.v1({ cmd: 'delete', id: b1.id, user: 'bob' });
  expect(d1.body).toMatchObject({ result: true, errcode: null });
  expect(fs.existsSync(path.join(backupsDir, b1.backup_filename))).toBe(false);
}, 90_000);

test('bad input: unknown backup, bad expiry, bad bkloc, file:// for a user, OAuth-only schemes, a location with no archives', async () => {
  const cases: [() => ReturnType<AppHarness['v2']>, number, string, string | null][] = [
    [() => h.v2('post', '/backups/nope/restore').send({ user: 'bob' }), 404, 'backup_not_found', 'id'],
    [() => h.v2('post', `/installs/${site.id}/backup`).send({ user: 'bob', expiry: 'soon' }), 400, 'invalid_argument_expiry', 'expiry'],
    [() => h.v2('post', `/installs/${site.id}/backup`).send({ user: 'bob', bkloc: 'no-such-location' }), 400, 'invalid_argument_bkloc', 'bkloc'],
    [() => h.v2('post', `/installs/${site.id}/backup`).send({ user: 'bob', bkloc: 'file://localhost/tmp' }), 400, 'invalid_argument_bkloc', 'bkloc'],
    [() => h.v2('post', `/installs/${site.id}/backup`).send({ user: 'bob', bkloc: 'dropbox3://acc:tok@app' }), 400, 'invalid_argument_bkloc', 'bkloc'],
    [() => h.v2('post', `/installs/${site.id}/backup`).send({ user: 'bob', bkloc: 'ftp://u:p@' }), 400, 'invalid_argument_bkloc', 'bkloc'],
    [() => h.v2('post', '/backups/import').send({ user: 'bob', bkloc: `file://localhost${path.join(home, 'empty')}` }), 400, 'invalid_argument_bkloc', 'bkloc'],
  ];
  fs.mkdirSync(path.join(home, 'empty'), { recursive: true });
  for (const [call, status, errcode, errfield] of cases) {
    const r = await call();
    expect({ status: r.status, errcode: r.body.errcode, errfield: r.body.errfield ?? null }).toEqual({ status, errcode, errfield });
  }
  // A location the admin set up (file:// is theirs to use) holding no archives: invalid_argument_bkloc_empty.
  const loc = await h.engine.locations.insert({ name: 'Empty shelf', uri: `file://localhost${path.join(home, 'empty')}`, scope: 'user' });
  const empty = await h.v2('post', '/backups/import').send({ user: 'bob', bkloc: loc.id });
  expect({ status: empty.status, errcode: empty.body.errcode }).toEqual({ status: 400, errcode: 'invalid_argument_bkloc_empty' });
}, 60_000);
