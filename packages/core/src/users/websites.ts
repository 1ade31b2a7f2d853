import { posix } from 'node:path';
import { unmaskWebsite } from './website-secrets';
import { EngineError, WEBSITE_FIELDS, zWebsite, type Website } from '@installgate/contracts';
import { newRecordId } from '../store/new-record-id';
import { checkRecord } from '../store/record-codec';

/** A website as callers send it: any member of Website, plus `reseller`, the request spelling of `parent` (spec §9 #26). */
export type WebsiteInput = Partial<Website> & { reseller?: string };

/** Values a new website gets for members the caller omits (spec §8.2; `path` is derived from the owner). */
const WEBSITE_DEFAULTS = {
  server: '',
  email: '',
  vhosts: {},
  databases: [],
  url_ip: '',
  path_backups: '/application_backups/',
  mysql_host: 'localhost',
  language: '',
  suspended: false,
} as const satisfies Partial<Website>;

const WEBSITE_ID = /^[A-Za-z0-9._@-]{1,64}$/;

/** A vhost key split into what URL matching needs. */
export interface VhostKey {
  /** 'http' | 'https', or null for a bare domain (matches either). */
  scheme: 'http' | 'https' | null;
  /** Lower-case host name (IDN in punycode), without port. */
  host: string;
  /**
   * The port the key names, when it names one that is not its scheme's default (`http://127.0.0.1:8080`); absent
   * otherwise. A key with a port serves that port only; a key without one serves every port of its host.
   */
  port?: number;
  /** Path segments below the host (a vhost may serve a sub-folder), decoded. */
  segments: string[];
}

const vhostError = (message: string) => new EngineError('invalid_argument_vhosts', { errfield: 'vhosts', message });

/**
 * Splits a URL path into decoded segments, refusing anything that could climb out of a directory:
 * `.`/`..` (also percent-encoded), separators or NUL inside a segment. Empty segments (`//`) are dropped.
 * Returns null when the path is unsafe.
 */
export function safeSegments(path: string): string[] | null {
  const out: string[] = [];
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (seg === '.' || seg === '..' || /[\\/\0]/.test(seg)) return null;
    out.push(seg);
  }
  return out;
}

/**
 * Parses a vhost key: `http(s)://host[:port][/path]` or a bare `host[/path]`. Throws invalid_argument_vhosts.
 * The raw path is checked before WHATWG URL parsing because that parser silently resolves `..`.
 */
export function parseVhostKey(key: string): VhostKey {
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/?#]*)(\/[^?#]*)?([?#].*)?$/i.exec(key.trim());
  if (!m) throw vhostError(`vhost "${key}" is not a URL or domain.`);
  const [, scheme, authority, path = '', rest] = m;
  const lower = scheme?.toLowerCase();
  if (lower !== undefined && lower !== 'http' && lower !== 'https') throw vhostError(`vhost "${key}" must be an http(s) URL or a domain.`);
  if (rest || authority === '' || authority.includes('@')) throw vhostError(`vhost "${key}" must be a plain URL or domain.`);
  let host: string;
  let port: string;
  try {
    // With the key's own scheme, so that its default port (http://x:80, https://x:443) reads as no port.
    const u = new URL(`${lower ?? 'http'}://${authority}`);
    host = u.hostname.toLowerCase();
    port = u.port;
  } catch {
    throw vhostError(`vhost "${key}" has an invalid host.`);
  }
  const segments = safeSegments(path);
  if (!host || segments === null) throw vhostError(`vhost "${key}" has an invalid host or path.`);
  return { scheme: (lower as 'http' | 'https' | undefined) ?? null, host, ...(port ? { port: Number(port) } : {}), segments };
}

/** Checks and normalises a vhost document root: relative, inside the website path; `''` = the path itself. */
export function normaliseDocroot(value: unknown, key: string): string {
  if (typeof value !== 'string') throw vhostError(`the document root of "${key}" must be a string.`);
  const v = value.trim();
  if (v.startsWith('/') || v.startsWith('\\') || /^[A-Za-z]:/.test(v)) throw vhostError(`the document root of "${key}" must be relative to the website path.`);
  const parts = v.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..' || /[\\\0]/.test(p))) throw vhostError(`the document root of "${key}" must stay inside the website path.`);
  return parts.join('/');
}

/** Checks a vhosts map (keys: URLs or domains; values: relative document roots) and returns it normalised. */
export function checkVhosts(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw vhostError('vhosts must be a map of URL → document root.');
  const out: Record<string, string> = {};
  for (const [key, docroot] of Object.entries(value)) {
    parseVhostKey(key);
    out[key.trim()] = normaliseDocroot(docroot, key);
  }
  return out;
}

/** Checks a website home: an absolute local path (normalised, no trailing '/') or a URI kept as given. */
export function normaliseWebsitePath(path: string): string {
  const bad = () => new EngineError('invalid_argument_path', { errfield: 'path', message: `website path "${path}" must be an absolute path or a URI.` });
  const uri = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/is.exec(path);
  if (uri) {
    const rest = uri[2].replace(/\/+$/, '');
    if (rest === '') throw bad();
    return uri[1] + rest;
  }
  if (!path.startsWith('/') || path.includes('\0')) throw bad();
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw bad();
  return `/${parts.join('/')}`;
}

/** Everything normalising a user's website list needs to know about the user. */
export interface WebsiteOwner {
  userId: string;
  /** The user's parent: the default `parent` of its websites. */
  parent: string;
  homesRoot: string;
  /** The websites stored now: entries sent again (same id, or same label without id) keep their id and omitted members. */
  existing: readonly Website[];
}

/** The label a website gets when none is given: its first domain, else the username. */
function defaultLabel(vhosts: Record<string, string>, userId: string): string {
  const first = Object.keys(vhosts)[0];
  return first === undefined ? userId : parseVhostKey(first).host;
}

/**
 * Normalises the `websites` of a user edit into complete, zod-valid websites. The list replaces the stored one.
 * Throws invalid_argument_websites (not a list, unknown member, duplicate id), invalid_argument_<member>
 * (bad member value), invalid_argument_vhosts, invalid_argument_path.
 */
export function normaliseWebsites(input: unknown, owner: WebsiteOwner): Website[] {
  if (!Array.isArray(input)) throw new EngineError('invalid_argument_websites', { errfield: 'websites', message: 'websites must be a list.' });
  const seen = new Set<string>();
  return input.map((raw: unknown, index) => {
    const where = `website ${index + 1}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new EngineError('invalid_argument_websites', { errfield: 'websites', message: `${where} must be an object.` });
    }
    const entry = { ...(raw as Record<string, unknown>) };
    if (entry.reseller !== undefined) {
      if (entry.parent !== undefined && entry.parent !== entry.reseller) {
        throw new EngineError('invalid_argument_parent', { errfield: 'parent', message: `${where}: parent and reseller differ.` });
      }
      entry.parent = entry.reseller;
      delete entry.reseller;
    }
    for (const [member, value] of Object.entries(entry)) {
      if (!(WEBSITE_FIELDS as readonly string[]).includes(member)) {
        throw new EngineError('invalid_argument_websites', { errfield: 'websites', message: `${where}: unknown member ${member}.` });
      }
      if (member !== 'vhosts' && value !== undefined && !zWebsite.shape[member as keyof Website].safeParse(value).success) {
        throw new EngineError(`invalid_argument_${member}`, { errfield: member, message: `${where}: ${member} is not valid.` });
      }
    }
    const given = entry as Partial<Website>;
    const vhosts = given.vhosts !== undefined ? checkVhosts(given.vhosts) : undefined;
    // An entry names the stored website it updates by id, or (without id) by label, so that clients which
    // resend their websites on every request (v1) keep stable ids.
    const byId = given.id !== undefined ? owner.existing.find((w) => w.id === given.id) : undefined;
    const label = given.label ?? byId?.label ?? defaultLabel(vhosts ?? {}, owner.userId);
    const previous = byId ?? (given.id === undefined ? owner.existing.find((w) => w.label === label && !seen.has(w.id)) : undefined);
    const id = given.id ?? previous?.id ?? newRecordId();
    if (!WEBSITE_ID.test(id)) throw new EngineError('invalid_argument_id', { errfield: 'id', message: `${where}: id is not valid.` });
    if (seen.has(id)) throw new EngineError('invalid_argument_websites', { errfield: 'websites', message: `${where}: duplicate website id ${id}.` });
    seen.add(id);
    const base: Website = previous ?? {
      id,
      label: '',
      path: posix.join(owner.homesRoot, owner.userId),
      parent: owner.parent,
      ...WEBSITE_DEFAULTS,
      vhosts: {},
      databases: [],
    };
    const website: Website = {
      id,
      label,
      path: given.path !== undefined ? normaliseWebsitePath(given.path) : base.path,
      server: given.server ?? base.server,
      email: given.email ?? base.email,
      vhosts: vhosts ?? base.vhosts,
      databases: given.databases ?? base.databases,
      parent: given.parent ?? base.parent,
      url_ip: given.url_ip ?? base.url_ip,
      path_backups: given.path_backups ?? base.path_backups,
      mysql_host: given.mysql_host ?? base.mysql_host,
      language: given.language ?? base.language,
      suspended: given.suspended ?? base.suspended,
    };
    return checkRecord(zWebsite, unmaskWebsite(website, previous), `${where} of ${owner.userId}`);
  });
}
