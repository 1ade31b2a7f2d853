/**
 * The scheduler's `autoup` job (spec §7.1 `autoup`, `autoup_backup`, `version_autouped`,
 * `version_autouped_attempts`): an install whose policy allows a newer release is updated by the real update
 * workflow, as an `installs/update` task of its owner, with a backup first when `autoup_backup=all` (the update's
 * `revert` path: no backup, no update). A failed update is swapped back by the workflow itself.
 *
 * Decisions (documented in docs/operations.md, scheduler; docs/api-differences.md, Updates):
 * - target: the catalog's automatic target for the policy (`minor`: the newest release of the same minor line,
 *   = `version_available_minor`; `all`: the newest `minor` or `major` release; `manual` releases never);
 * - `version_autouped` is the version an automatic update last *reached* (spec wording); the version a failed
 *   automatic try aimed at is read from that try's task (payload `to`), not a new wire field;
 * - `version_autouped_attempts` counts failed automatic tries at that target. At AUTOUP_MAX_ATTEMPTS no more tries
 *   until the target changes (a newer release appears), an update succeeds (any update resets the count), or a
 *   record edit of an `autoup*` member resets it;
 * - add-ons: when the policy leaves the core where it is, bundled plugins/themes that lag behind the copies the
 *   install's own release bundles are updated the same way (`version=current`): `autoup_plugins`/`autoup_themes`
 *   `all` = every such one, `custom` = those whose own `autoup` is `all`. The attempt count and hold-off apply (a
 *   failed add-on update aims at `current`);
 * - hold-off: no automatic update for AUTOUP_HOLD_OFF_SECONDS after the install's last failed update (manual or
 *   automatic: it was swapped back) or its last restore in place, read from the task table (finished_at), so the
 *   owner's restore of an older version is not undone at once and a failing release is not retried every pass.
 */
import { EngineError, isEngineError, type Install } from '@installgate/contracts';
import { ADMIN_SCOPE } from '../access/actor';
import type { AppDeps } from './app-deps';
import { bundledAddonsOf } from './bundled-addons-of';
import { compareAddonVersions } from './update-addons';
import { updateApplication, type UpdateRequest } from './update-application';

/** Failed automatic tries at one target after which the scheduler stops trying it (spec §7.1). */
export const AUTOUP_MAX_ATTEMPTS = 3;

/** How long after a failed update or a restore no automatic update runs (7 days). */
export const AUTOUP_HOLD_OFF_SECONDS = 7 * 86_400;

/** The tasks that start the hold-off: a restore in place that completed, an update that failed (not a busy refusal). */
const SETBACKS = [
  { cmd: 'backups/restore', status: 'complete' },
  { cmd: 'installs/update', status: 'failed' },
] as const;

/** What one scheduled run did for an install. */
export type AutoUpdateOutcome =
  | { state: 'idle' }
  | { state: 'done'; from: string; to: string; backup: boolean; plugins?: string[]; themes?: string[] };

/** The install member that turns automatic updates of each add-on kind on. */
const ADDON_POLICY = { plugins: 'autoup_plugins', themes: 'autoup_themes' } as const;

/** Whether anything of the install may be updated automatically (core or add-ons). */
const autoupOn = (i: Install) => i.autoup !== 'none' || i.autoup_plugins !== 'none' || i.autoup_themes !== 'none';

/** The installs the autoup job looks at: every complete one with any automatic update on. */
export async function autoUpdateTargets(deps: AppDeps): Promise<string[]> {
  const rows = (await deps.installsRepo.query().select('id', 'record').orderBy('id')) as { id: string; record: string }[];
  return rows.map((r) => deps.installsRepo.fromRow(r)).filter((i) => autoupOn(i) && !i.incomplete).map((i) => i.id);
}

/** Unix time of the install's last failed update or restore in place (0 when none). */
async function lastSetback(deps: AppDeps, installId: string): Promise<number> {
  const row = (await deps.db('tasks')
    .where('install_id', installId)
    .andWhere((w) => {
      for (const s of SETBACKS) w.orWhere(s);
    })
    .andWhere((w) => w.whereNull('errcode').orWhereNot('errcode', 'install_busy'))
    .max('finished_at as at')
    .first()) as { at: number | string | null } | undefined;
  return Number(row?.at ?? 0);
}

/** The version the install's latest automatic update try aimed at ('' when there was none). */
async function lastAutomaticTarget(deps: AppDeps, installId: string): Promise<string> {
  const rows = (await deps.db('tasks')
    .where({ install_id: installId, cmd: 'installs/update' })
    .andWhere('payload', 'like', '%"automatic":true%')
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(1)
    .select('payload')) as { payload: string }[];
  const payload = rows[0] ? (JSON.parse(rows[0].payload) as { to?: unknown }) : {};
  return typeof payload.to === 'string' ? payload.to : '';
}

/** A failure before the update's task existed (preflight: location, requirements): recorded as a failed task too. */
async function recordEarlyFailure(deps: AppDeps, install: Install, to: string, err: EngineError): Promise<void> {
  await deps.logs.write({
    user: install.user, cmd: 'installs/update', install: install.id, url: install.url, title: install.title,
    severity: 'error', message: `Automatic update of ${install.title} to ${to} failed: ${err.message}`,
  });
  await deps.runner.run({
    cmd: 'installs/update', user: install.user, installId: install.id, url: install.url, title: install.title, label: '_tasks_upgrading',
    payload: { install: install.id, from: install.version, to, automatic: true },
  }, async () => { throw err; }, { background: false }).catch(() => undefined);
}

/** The installed add-ons that lag behind the copies the install's release bundles and that autoup may update. */
async function laggingAddons(deps: AppDeps, install: Install): Promise<Pick<UpdateRequest, 'plugins' | 'themes'> | null> {
  if (install.autoup_plugins === 'none' && install.autoup_themes === 'none') return null;
  const bundled = await bundledAddonsOf(deps, install.application, install.version);
  const out: Pick<UpdateRequest, 'plugins' | 'themes'> = {};
  for (const kind of ['plugins', 'themes'] as const) {
    const policy = install[ADDON_POLICY[kind]];
    const ids = install[kind]
      .filter((a) => policy === 'all' || (policy === 'custom' && a.autoup === 'all'))
      .filter((a) => bundled[kind].some((b) => b.id === a.id && compareAddonVersions(b.version, a.version) > 0))
      .map((a) => a.id);
    if (ids.length > 0) out[kind] = ids;
  }
  return out.plugins || out.themes ? out : null;
}

/** What the install gets now: the core to a newer release, else its lagging add-ons; null = nothing. */
async function wanted(deps: AppDeps, install: Install): Promise<{ to: string; req: UpdateRequest } | null> {
  const revert = install.autoup_backup === 'all';
  const core = install.autoup === 'none' ? null : deps.catalog.autoUpdateTarget(install.application, install.version, install.autoup);
  if (core !== null) return { to: core, req: { version: core, revert } };
  const addons = await laggingAddons(deps, install);
  return addons ? { to: 'current', req: { version: 'current', revert, ...addons } } : null;
}

/**
 * Catalog answers that mean "nothing to update automatically" rather than a failure to retry: the application has
 * left the catalog, or the install runs a version the catalog/mirror does not know (an imported site).
 */
export const NOT_IN_CATALOG: readonly string[] = ['application_not_found', 'invalid_argument_version'];

/** Whether (and how) the install is updated now, and the attempts already made at that target. */
async function decide(deps: AppDeps, install: Install): Promise<{ to: string; req: UpdateRequest; attempts: number } | null> {
  if (install.incomplete || !autoupOn(install)) return null;
  const next = await wanted(deps, install).catch((e: unknown) => {
    if (isEngineError(e) && NOT_IN_CATALOG.includes(e.errcode)) return null;
    throw e;
  });
  if (!next) return null;
  if (deps.clock() < (await lastSetback(deps, install.id)) + AUTOUP_HOLD_OFF_SECONDS) return null;
  // The count belongs to the target it was made at: a newer release starts from 0.
  const attempts = (await lastAutomaticTarget(deps, install.id)) === next.to ? install.version_autouped_attempts : 0;
  return attempts >= AUTOUP_MAX_ATTEMPTS ? null : { ...next, attempts };
}

/**
 * The `autoup` job for one install at the engine clock's now. A failed update is thrown (after counting the
 * attempt on the record, and being recorded as a failed task and in the activity log); the scheduler reports it.
 */
export async function autoUpdateInstall(deps: AppDeps, installId: string): Promise<AutoUpdateOutcome> {
  const install = await deps.installsRepo.get(installId);
  if (!install) return { state: 'idle' };
  const next = await decide(deps, install);
  if (!next) return { state: 'idle' };
  let started = false;
  try {
    await updateApplication(deps, ADMIN_SCOPE, installId, next.req, { background: false, dryrun: 'none' }, {
      automatic: true, taskStarted: () => { started = true; },
    });
    const addons = { ...(next.req.plugins ? { plugins: next.req.plugins } : {}), ...(next.req.themes ? { themes: next.req.themes } : {}) };
    return { state: 'done', from: install.version, to: next.to, backup: next.req.revert === true, ...addons };
  } catch (e) {
    const err = isEngineError(e) ? e : new EngineError('internal_error', { cause: e });
    // CASE: another task holds the install (the runner recorded that refusal): not a try; the next pass looks again.
    if (err.errcode === 'install_busy') throw err;
    if (!started) await recordEarlyFailure(deps, install, next.to, err);
    const fresh = await deps.installsRepo.get(installId);
    if (fresh) await deps.installsRepo.replace({ ...fresh, version_autouped_attempts: next.attempts + 1 });
    throw err;
  }
}
