import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '@installgate/contracts';
import { zManifest, type Manifest } from './manifest-schema';

/** A manifest as loaded, with the file it came from (for messages). */
export interface LoadedManifest {
  manifest: Manifest;
  file: string;
}

/** The error a broken manifest stops the engine start with: names the file and the member. */
export function manifestError(file: string, member: string, problem: string): EngineError {
  return new EngineError('invalid_argument_manifest', {
    errfield: member,
    message: `application manifest ${file}: ${member}: ${problem}`,
    details: { file, member },
  });
}

/**
 * Where manifests live in the apps directory. Two spellings name the same thing:
 *   `<appsDir>/<id>/manifest.json`  beside the application's version folders (apps/wordpress/manifest.json);
 *   `<appsDir>/<id>.manifest.json`  next to the folder, for applications whose folder must hold version folders
 *                                   only (the test apps: packages/testkit's ensureMirror() takes every entry of
 *                                   apps/testapp-db/ for a version).
 * Other entries (README.md, version folders without a manifest) are ignored.
 */
function manifestFiles(appsDir: string): { id: string; file: string }[] {
  const found: { id: string; file: string }[] = [];
  for (const entry of readdirSync(appsDir, { withFileTypes: true })) {
    const path = join(appsDir, entry.name);
    if (entry.isDirectory() || (entry.isSymbolicLink() && statSync(path).isDirectory())) {
      const file = join(path, 'manifest.json');
      if (existsSync(file)) found.push({ id: entry.name, file });
    } else if (entry.name.endsWith('.manifest.json')) {
      found.push({ id: entry.name.slice(0, -'.manifest.json'.length), file: path });
    }
  }
  return found;
}

/** Reads and validates one manifest file; `expectedId` is the id its location gives it. */
export function loadManifestFile(file: string, expectedId?: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw manifestError(file, '(file)', `not readable as JSON (${(e as Error).message})`);
  }
  const parsed = zManifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      // A misspelt or unknown member: name it, not its parent.
      throw manifestError(file, [...issue.path, issue.keys[0]].join('.'), 'is not a manifest member');
    }
    const member = issue.path.length > 0 ? issue.path.join('.') : '(document)';
    throw manifestError(file, member, issue.message);
  }
  if (expectedId !== undefined && parsed.data.id !== expectedId) {
    throw manifestError(file, 'id', `is ${JSON.stringify(parsed.data.id)} but the file's place names the application ${JSON.stringify(expectedId)}`);
  }
  return parsed.data;
}

/**
 * Every application manifest of `appsDir`, sorted by id. Throws EngineError('invalid_argument_manifest') naming
 * the file and the member for the first broken manifest, and EngineError('invalid_argument_settings') when the
 * directory itself is missing: a server must not start with a catalog it cannot trust.
 */
export function loadManifests(appsDir: string): LoadedManifest[] {
  if (!existsSync(appsDir) || !statSync(appsDir).isDirectory()) {
    throw new EngineError('invalid_argument_settings', { errfield: 'appsDir', message: `settings: the applications directory ${appsDir} does not exist.` });
  }
  const byId = new Map<string, LoadedManifest>();
  for (const { id, file } of manifestFiles(appsDir)) {
    const manifest = loadManifestFile(file, id);
    const other = byId.get(id);
    if (other) throw manifestError(file, 'id', `application ${id} already has a manifest (${other.file})`);
    byId.set(id, { manifest, file });
  }
  return [...byId.values()].sort((a, b) => (a.manifest.id < b.manifest.id ? -1 : a.manifest.id > b.manifest.id ? 1 : 0));
}
