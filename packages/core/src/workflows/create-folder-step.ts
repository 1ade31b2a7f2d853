/**
 * Making an install's folder: install, clone and restore-to all create it with its missing parents, and remove
 * again exactly what they created (the topmost new folder), on undo and on uninstall.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Step } from '../tasks/run-workflow';
import type { AppDeps } from './app-deps';

/** Creates `dir` and its missing parents; answers the topmost folder created, or null when `dir` existed. */
export async function makeFolder(dir: string): Promise<string | null> {
  if (fs.existsSync(dir)) return null;
  let top = dir;
  while (!fs.existsSync(path.dirname(top))) top = path.dirname(top);
  await fs.promises.mkdir(dir, { recursive: true });
  return top;
}

/** The `create-folder` step of a new install record `plan.id` at `plan.target.dir`; records what uninstall removes. */
export function createFolderStep<C extends { plan: { id: string; target: { dir: string } } }>(deps: AppDeps): Step<C> {
  return {
    name: 'create-folder', message: '_tasks_shared_preparing', percent: [5, 10],
    async run(run) {
      const top = await makeFolder(run.plan.target.dir);
      if (!top) return;
      await deps.resources.record(run.plan.id, { created_path: top });
      return async () => { await fs.promises.rm(top, { recursive: true, force: true }); };
    },
  };
}
