/**
 * An application's own files as a driver sees them (its config, version file, language folder), wherever the app
 * lives: a folder on this server or a folder on a website reached over SFTP/FTP (SiteFs). Paths are relative to the
 * app's folder; WordPress also looks one folder up for wp-config.php, so a path may start with one `../`.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { EngineError } from '@installgate/contracts';
import { isStorageError, readSmallFile, type SiteFs } from '@installgate/storage';
import { fsError, writeConfigAtomic } from './php-support';
import { siteFailure } from '../sites/site-failure';

export interface AppFiles {
  /** Names the folder in messages (a local path, or the website label plus folder; never a password). */
  readonly where: string;
  /** The file's text; null when it is missing. */
  readText(rel: string): Promise<string | null>;
  /** Names in a folder; [] when it is missing. */
  list(rel: string): Promise<string[]>;
  /** Creates a new file; fails when it exists (never overwrites a customer's file). */
  create(rel: string, text: string, mode: number): Promise<void>;
  /** Replaces a file's content keeping its mode, through a temporary name and a rename. */
  replace(rel: string, text: string): Promise<void>;
  /** Removes a file; missing is fine. */
  remove(rel: string): Promise<void>;
}

const tmpName = (rel: string) => `${rel}.${randomBytes(4).toString('hex')}.tmp`;

/** The app folder `dir` on this server. */
export function localAppFiles(dir: string): AppFiles {
  const abs = (rel: string) => join(dir, rel);
  return {
    where: dir,
    async readText(rel) {
      try {
        return await readFile(abs(rel), 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return null;
        throw fsError(e);
      }
    },
    list: (rel) => readdir(abs(rel)).catch(() => [] as string[]),
    async create(rel, text, mode) {
      await writeFile(abs(rel), text, { mode, flag: 'wx' }).catch((e: unknown) => Promise.reject(fsError(e)));
    },
    replace: (rel, text) => writeConfigAtomic(abs(rel), text),
    remove: (rel) => rm(abs(rel), { force: true }),
  };
}

/** The app folder `dir` (relative to the website home) of a website reached through `site`. */
export function siteAppFiles(site: SiteFs, dir: string): AppFiles {
  // `../x` names x in the parent of dir; the home's own parent is out of reach (SiteFs refuses it).
  const resolve = (rel: string) => posix.normalize(posix.join(dir === '' ? '.' : dir, rel)).replace(/^\.$/, '');
  const fail = (e: unknown) => siteFailure(e, site);
  return {
    where: `${site.label}${dir ? `/${dir}` : ''}`,
    async readText(rel) {
      try {
        const p = resolve(rel);
        if (p.startsWith('..')) return null;
        return (await readSmallFile(site, p)).toString('utf8');
      } catch (e) {
        if (isStorageError(e, 'NOT_FOUND')) return null;
        throw fail(e);
      }
    },
    async list(rel) {
      try {
        return (await site.list(resolve(rel))).map((e) => e.name);
      } catch (e) {
        if (isStorageError(e, 'NOT_FOUND')) return [];
        throw fail(e);
      }
    },
    async create(rel, text, mode) {
      const p = resolve(rel);
      const exists = await site.stat(p).catch((e: unknown) => Promise.reject(fail(e)));
      if (exists) throw new EngineError('internal_error', { message: `${site.label}/${p} exists already.` });
      await site.write(p, text, { mode }).catch((e: unknown) => Promise.reject(fail(e)));
    },
    async replace(rel, text) {
      const p = resolve(rel);
      const tmp = tmpName(p);
      let oldRemoved = false;
      try {
        const mode = (await site.stat(p))?.mode ?? 0o640;
        await site.write(tmp, text, { mode });
        // FTP cannot rename onto an existing file: there the old one goes first (a short window without it).
        if (!site.features.atomicReplace) {
          await site.unlink(p);
          oldRemoved = true;
        }
        await site.rename(tmp, p);
      } catch (e) {
        // Once the old file is gone, the temporary one is the only copy (a wp-config.php: without it the site shows
        // its setup wizard to anyone): try its rename once more, and never delete it.
        if (oldRemoved) {
          const retried = await site.rename(tmp, p).then(() => true, () => false);
          if (retried) return;
          const err = fail(e);
          if (err instanceof Error) err.message += ` The new content is kept in ${tmp} on the website; rename it to ${p}.`;
          throw err;
        }
        await site.unlink(tmp).catch(() => undefined);
        throw fail(e);
      }
    },
    async remove(rel) {
      await site.unlink(resolve(rel)).catch((e: unknown) => Promise.reject(fail(e)));
    },
  };
}
