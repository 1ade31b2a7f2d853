/**
 * The `update_available` and `plugin_update_available` mails (spec §8.3), as a scheduler job: the owner is told
 * once per newer version — of the core (the catalog's upgrade rules, as `version_available` counts them) and of
 * each plugin/theme whose copy in the install's release is newer than the installed one (the only newer copies
 * Installgate has: there is no plugin directory). `update_notices` remembers what was told, so another pass or
 * another process does not mail it again. It runs after automatic updates in a pass: what they just updated is
 * not announced.
 */
import { isEngineError, type Install, type Notification } from '@installgate/contracts';
import { createUpdateNotices } from '../notifications/update-notices';
import type { AppDeps } from './app-deps';
import { NOT_IN_CATALOG } from './auto-update';
import { bundledAddonsOf } from './bundled-addons-of';
import { compareAddonVersions } from './update-addons';

interface Notice {
  subject: string;
  type: Notification;
  version: string;
  details: Record<string, string>;
}

const ADDON_LABEL = { plugins: 'Plugin', themes: 'Theme' } as const;

const wants = (i: Install, t: Notification) => i.notification.includes(t);

/** Installs whose owners want to hear about newer versions (none when no mail server is configured). */
export async function updateNoticeTargets(deps: AppDeps): Promise<string[]> {
  if (!deps.notifier.enabled) return [];
  const rows = (await deps.installsRepo.query().select('id', 'record').orderBy('id')) as { id: string; record: string }[];
  return rows.map((r) => deps.installsRepo.fromRow(r))
    .filter((i) => !i.incomplete && (wants(i, 'update_available') || wants(i, 'plugin_update_available')))
    .map((i) => i.id);
}

/** The newer versions there are for `install` now; none when the catalog cannot place it (an imported site). */
async function newerVersions(deps: AppDeps, install: Install): Promise<Notice[]> {
  const out: Notice[] = [];
  try {
    if (wants(install, 'update_available')) {
      const info = deps.catalog.updateInfo(install.application, install.version);
      if (info.version_updates_available > 0 && info.version_available) {
        out.push({ subject: 'core', type: 'update_available', version: info.version_available, details: { 'Installed version': install.version, 'New version': info.version_available } });
      }
    }
    if (wants(install, 'plugin_update_available')) {
      const bundled = await bundledAddonsOf(deps, install.application, install.version);
      for (const kind of ['plugins', 'themes'] as const) {
        for (const a of install[kind]) {
          const newer = bundled[kind].find((b) => b.id === a.id && compareAddonVersions(b.version, a.version) > 0);
          if (newer) out.push({ subject: `${kind}:${a.id}`, type: 'plugin_update_available', version: newer.version, details: { [ADDON_LABEL[kind]]: a.id, 'Installed version': a.version, 'New version': newer.version } });
        }
      }
    }
  } catch (e) {
    if (isEngineError(e) && NOT_IN_CATALOG.includes(e.errcode)) return [];
    throw e;
  }
  return out;
}

/** One install: mails what is newer and not told yet. */
export async function updateNoticeInstall(deps: AppDeps, id: string): Promise<{ state: 'idle' } | { state: 'done'; told: string[] }> {
  const install = await deps.installsRepo.get(id);
  if (!install || install.incomplete) return { state: 'idle' };
  const notices = createUpdateNotices(deps.db);
  const told: string[] = [];
  for (const n of await newerVersions(deps, install)) {
    if ((await notices.last(id, n.subject)) === n.version) continue;
    deps.notifier.notify({ type: n.type, installId: id, details: n.details });
    await notices.record(id, n.subject, n.version, deps.clock());
    told.push(`${n.subject} ${n.version}`);
  }
  return told.length > 0 ? { state: 'done', told } : { state: 'idle' };
}
