/**
 * Which plugins and themes an update changes (spec §2.2 `plugins` / `themes`). Installgate has no plugin/theme
 * mirror, so the only newer copies it has are the ones the update's release bundles (WordPress ships Hello Dolly
 * and its default themes). Rules:
 * - not asked (undefined): none;
 * - `[]` (v1 `*`): every installed one the release bundles in a newer version; the others are reported as skipped;
 * - named slugs: each must be installed (plugin_not_found / theme_not_found) and bundled by the release
 *   (invalid_argument_plugins / _themes otherwise: it cannot be updated, and the call says so rather than pretend);
 *   one already at the bundled version or newer is left as it is and reported.
 */
import { EngineError, invalidArgument } from '@installgate/contracts';
import type { AddonInfo, BundledAddon } from '../drivers/app-driver';

export type AddonKind = 'plugins' | 'themes';

export interface AddonUpdate {
  kind: AddonKind;
  id: string;
  /** Name in the add-on folder (`akismet`, `hello.php`). */
  entry: string;
  from: string;
  to: string;
}

export interface AddonChoice {
  updates: AddonUpdate[];
  /** Human-readable notes on what was asked and left as it is (for the task log). */
  notes: string[];
}

const NOT_FOUND = { plugins: 'plugin_not_found', themes: 'theme_not_found' } as const;
const SINGULAR = { plugins: 'plugin', themes: 'theme' } as const;

/** version_compare-like: numeric runs compare as numbers, anything else is ignored ("1.1" < "1.10" < "2.0-beta"). */
export function compareAddonVersions(a: string, b: string): number {
  const pa = (a.match(/\d+/g) ?? []).map(Number);
  const pb = (b.match(/\d+/g) ?? []).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** The updates of one kind; throws for a named add-on that is not installed or cannot be updated. */
export function chooseAddonUpdates(kind: AddonKind, asked: string[] | undefined, installed: readonly AddonInfo[], bundled: readonly BundledAddon[], release: string): AddonChoice {
  const out: AddonChoice = { updates: [], notes: [] };
  if (asked === undefined) return out;
  const all = asked.length === 0;
  const ids = all ? installed.map((a) => a.id) : [...new Set(asked)];
  for (const id of ids) {
    const have = installed.find((a) => a.id === id);
    if (!have) throw new EngineError(NOT_FOUND[kind], { errfield: kind, message: `No ${SINGULAR[kind]} ${id} is installed on this site.` });
    const copy = bundled.find((b) => b.id === id);
    if (!copy) {
      const why = `The ${SINGULAR[kind]} ${id} cannot be updated: Installgate has no ${SINGULAR[kind]} mirror and release ${release} does not bundle it.`;
      if (!all) throw invalidArgument(kind, why);
      out.notes.push(why);
      continue;
    }
    if (compareAddonVersions(copy.version, have.version) <= 0) {
      out.notes.push(`The ${SINGULAR[kind]} ${id} ${have.version} is already at or above the version release ${release} bundles (${copy.version}).`);
      continue;
    }
    out.updates.push({ kind, id, entry: copy.entry, from: have.version, to: copy.version });
  }
  return out;
}
