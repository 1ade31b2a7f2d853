import { ensureMirror } from '@installgate/testkit';
import { startAppHarness, type AppHarness } from './app-harness';
import { expectWorkingSite, install } from './update-helpers';

/**
 * Automatic updates of a real WordPress through the scheduler: 6.4.5 with `autoup=all` is updated to 6.5.5 by one
 * pass (a backup first, `autoup_backup=all`) and the served site works after; the next pass brings the bundled
 * theme the core update left at 6.4.5's copy up to 6.5.5's (`autoup_themes=all`); a third pass has nothing to do.
 */
jest.setTimeout(600_000);

let h: AppHarness;
let mirror: string;

beforeAll(async () => {
  mirror = await ensureMirror();
  h = await startAppHarness('vic');
}, 300_000);
afterAll(async () => { await h?.stopAll(); }, 60_000);

async function pass(id: string) {
  return (await h.engine.apps.runScheduledJobs({ retrySeconds: 300 })).filter((r) => r.kind === 'autoup' && r.target === id);
}

const theme = (record: { themes: { id: string; version: string }[] }, id: string) => record.themes.find((t) => t.id === id)?.version;

test('6.4.5 → 6.5.5 by the scheduler, the site working after; then the lagging bundled theme; then nothing', async () => {
  const site = await install(h, 'auto', 'Auto Updated', '6.4.5');
  const edited = await h.v2('post', `/installs/${site.id}`).send({ autoup: 'all', autoup_backup: 'all', autoup_plugins: 'all', autoup_themes: 'all' });
  expect(edited.body).toMatchObject({ result: true, data: { autoup: 'all', version_available: '6.5.5' } });

  expect(await pass(site.id)).toMatchObject([{ outcome: 'done', detail: { from: '6.4.5', to: '6.5.5', backup: true } }]);
  await expectWorkingSite(h, site, 'Auto Updated', '6.5.5', mirror);
  const updated = (await h.v2('get', `/installs/${site.id}`).expect(200)).body.data;
  expect(updated).toMatchObject({ version: '6.5.5', version_autouped: '6.5.5', version_autouped_attempts: 0, incomplete: false });
  // A core update never replaces an existing theme: twentytwentyfour is still 6.4.5's 1.0 (6.5.5 bundles 1.1).
  expect(theme(updated, 'twentytwentyfour')).toBe('1.0');
  const backups = (await h.v2('get', `/backups?user=vic&pid=${site.id}`).expect(200)).body.data;
  expect(backups).toMatchObject([{ version: '6.4.5', backup_note: 'Before updating WordPress 6.4.5 to 6.5.5' }]);

  expect(await pass(site.id)).toMatchObject([{ outcome: 'done', detail: { from: '6.5.5', to: 'current', themes: ['twentytwentyfour'] } }]);
  const themed = (await h.v2('get', `/installs/${site.id}`).expect(200)).body.data;
  expect(themed).toMatchObject({ version: '6.5.5', version_autouped: '6.5.5' });
  expect(theme(themed, 'twentytwentyfour')).toBe('1.1');
  await expectWorkingSite(h, site, 'Auto Updated', '6.5.5', mirror);

  expect(await pass(site.id)).toMatchObject([{ outcome: 'idle' }]);
  const tasks = (await h.v2('get', '/tasks?user=vic').expect(200)).body.data.filter((k: { install: string; cmd: string }) => k.install === site.id && k.cmd === 'installs/update');
  expect(tasks.map((k: { status: string }) => k.status)).toEqual(['complete', 'complete']);
});

test('autoup_themes=custom takes only themes whose own autoup is all: the lagging theme stays until its autoup is set', async () => {
  const site = await install(h, 'custom', 'Custom Themes', '6.4.5');
  await h.v2('post', `/installs/${site.id}`).send({ autoup: 'all', autoup_backup: 'none', autoup_plugins: 'none', autoup_themes: 'custom' }).expect(200);
  expect(await pass(site.id)).toMatchObject([{ outcome: 'done', detail: { from: '6.4.5', to: '6.5.5', backup: false } }]);
  const updated = (await h.v2('get', `/installs/${site.id}`).expect(200)).body.data;
  expect(updated.themes.find((t: { id: string }) => t.id === 'twentytwentyfour')).toMatchObject({ version: '1.0', autoup: 'none' });
  expect(await pass(site.id)).toMatchObject([{ outcome: 'idle' }]);
  expect(theme((await h.v2('get', `/installs/${site.id}`).expect(200)).body.data, 'twentytwentyfour')).toBe('1.0');
  expect((await h.v2('get', `/backups?user=vic&pid=${site.id}`).expect(200)).body.data).toEqual([]);

  // The theme's own autoup, set through the theme endpoint (WordPress's auto_update_themes), lets the next pass take it.
  const lagging = await h.v2('get', `/installs/${site.id}/themes/twentytwentyfour`).expect(200);
  expect(lagging.body.data).toMatchObject({ version: '1.0', version_available: '1.1', autoup: 'none' });
  const on = await h.v2('post', `/installs/${site.id}/themes/twentytwentyfour`).send({ autoup: 'all' });
  expect(on.body).toMatchObject({ result: true, data: { autoup: 'all', activated: true } });
  expect(await pass(site.id)).toMatchObject([{ outcome: 'done', detail: { from: '6.5.5', to: 'current', themes: ['twentytwentyfour'] } }]);
  const after = (await h.v2('get', `/installs/${site.id}`).expect(200)).body.data;
  expect(after.themes.find((t: { id: string }) => t.id === 'twentytwentyfour')).toMatchObject({ version: '1.1', autoup: 'all' });
  expect((await h.v2('get', `/installs/${site.id}/themes/twentytwentyfour`).expect(200)).body.data).toMatchObject({ version: '1.1', version_available: '' });
});
