import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { createEngine, makeBackupRecord, makeInstallRecord, makeTemplateRecord, openStore, type Engine, type EngineSettings } from '@installgate/core';
import { createApp, createMemoryLogger, loadSettings, type Settings } from '@installgate/server';

export const KEY = 'compat-key-0123456789';
export const KEY2 = 'compat-key2-abcdefghij';

export interface Harness {
  app: Express;
  engine: Engine;
  settings: Settings;
  home: string;
  logLines: string[];
  /** v2 request with the key. */
  v2(method: 'get' | 'post' | 'delete', url: string): request.Test;
  /** v1 request: GET /?api=json&cmd=… with the key as a parameter. */
  v1(params: Record<string, string>, headers?: Record<string, string>): request.Test;
  close(): Promise<void>;
}

/** A real server app over a real sqlite state database in a temp dir. */
export async function startHarness(opts: { dbUrl?: string; appsDir?: string; mirrorDir?: string; settingsIni?: string } = {}): Promise<Harness> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-compat-'));
  fs.writeFileSync(path.join(home, 'settings.ini'), `key=${KEY}\nkey2=${KEY2}\nadmin=admin\n${opts.settingsIni ?? ''}`);
  const settings = loadSettings({ INSTALLGATE_HOME: home });
  const db = openStore({ client: 'sqlite3', filename: settings.state_db });
  const logger = createMemoryLogger();
  const engine = await createEngine({ db, settings: { admin: settings.admin, homesRoot: settings.homes_root, defaultAutoup: settings.default_autoup, appsDir: opts.appsDir ?? (settings.apps_dir || undefined), mirrorDir: opts.mirrorDir ?? (settings.mirror_dir || undefined), dbUrl: opts.dbUrl, templatesDir: path.join(home, 'templates'), smtp: settings.smtp, notificationDisabled: settings.notification_disabled as EngineSettings['notificationDisabled'], secretKey: settings.secret_key }, logger });
  const app = createApp({ engine, settings, logger });
  const agent = request(app);
  return {
    app,
    engine,
    settings,
    home,
    logLines: logger.lines,
    v2: (method, url) => agent[method](url).set('X-API-KEY', KEY),
    v1: (params, headers = {}) => {
      const q = new URLSearchParams({ api: 'json', key: KEY, ...params }).toString();
      const t = agent.get(`/?${q}`);
      for (const [k, v] of Object.entries(headers)) t.set(k, v);
      return t;
    },
    async close() {
      await engine.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export const ADMIN = { actor: { kind: 'admin' as const } };

/**
 * The hosting model most suites use: reseller `res1` owns `alice`; `bob` belongs to the admin; each has a website
 * and installs; alice has a backup and a template.
 */
export async function seedAccounts(h: Harness): Promise<void> {
  await h.engine.users.create(ADMIN, { id: 'res1', type: 'reseller' });
  await h.engine.users.create(ADMIN, { id: 'alice', parent: 'res1', websites: [{ vhosts: { 'http://alice.example': 'public_html' } }] });
  await h.engine.users.create(ADMIN, { id: 'bob', websites: [{ vhosts: { 'https://bob.example': 'www' } }] });
  await h.engine.installs.insert(makeInstallRecord({ id: 'aliceinstall0000000000001', user: 'alice', url: 'http://alice.example/blog', url_domain: 'alice.example', title: 'Alice blog', version: '6.4.3', version_available: '6.5.5', version_available_minor: '6.4.5', version_updates_available: 3, autoup: 'minor', autoup_plugins: 'custom' }));
  await h.engine.installs.insert(makeInstallRecord({ id: 'aliceinstall0000000000002', user: 'alice', url: 'http://alice.example/shop', url_domain: 'alice.example', title: 'Alice shop', version: '6.5.5', version_available: '', version_available_minor: '', version_updates_available: 0, autoup: 'all' }));
  await h.engine.installs.insert(makeInstallRecord({ id: 'bobinstall000000000000001', user: 'bob', url: 'https://bob.example', url_domain: 'bob.example', title: 'Bob site', version: '6.5.5', version_available: '', version_available_minor: '', version_updates_available: 0, autoup: 'none' }));
  await h.engine.backups.insert(makeBackupRecord({ id: 'alicebackup00000000000001', backup_install: 'aliceinstall0000000000001', user: 'alice', url: 'http://alice.example/blog', url_domain: 'alice.example', title: 'Alice blog', backup_note: 'before the redesign' }));
  await h.engine.templates.insert(makeTemplateRecord({ id: 'alicetemplate000000000001', user: 'alice', template_install: 'aliceinstall0000000000001', template_name: 'Alice starter', template_scope: 'user' }));
}
