import type { Errcode, ListPage, Task } from '@installgate/contracts';
import type { EngineContext } from '../engine-context';
import type { Scope } from '../access/actor';
import type { Visibility } from '../access/visibility';
import { listOwners } from '../access/list-owners';
import type { LogsService } from '../logs/logs-service';
import type { PageRequest } from '../store/paginate';
import { createInstallLocks } from './install-lock';
import { createTaskRepository, type TaskCreate, type TaskProgress } from './task-repository';
import { toTask, type StoredTask } from './task-row';

/** `GET /tasks` parameters (spec §2.8); `restart` is a separate call. */
export interface TaskListQuery extends PageRequest {
  user?: string;
}

/** Tasks: the client-facing list and the state operations the task runner uses. */
export interface TasksService {
  /** Tasks in the scope's view (a reseller sees its accounts' tasks), newest first. */
  list(scope: Scope, q: TaskListQuery): Promise<ListPage<Task>>;
  /** `GET /tasks?restart=true`: resets attempts and locks of queued tasks in the scope's view. Returns the count. */
  restartQueued(scope: Scope): Promise<number>;
  /** One task (engine view). Throws task_not_found. */
  get(taskId: string): Promise<StoredTask>;
  /** Queues a new task. */
  create(input: TaskCreate): Promise<StoredTask>;
  /** Takes a queued task for a node; null when another node took it first. */
  claim(taskId: string, nodeId: string): Promise<StoredTask | null>;
  /** Stores progress of a processing task (also renews its lease). */
  progress(taskId: string, p: TaskProgress): Promise<void>;
  /** Completes a processing task; its install locks are released. */
  finish(taskId: string, opts?: { message?: string }): Promise<StoredTask>;
  /** Fails a task; `internalCause` is kept (redacted with `secrets`) in last_error, never shown to clients. */
  fail(taskId: string, errcode: Errcode, internalCause: unknown, secrets?: readonly string[]): Promise<StoredTask>;
  /** At boot: fails processing tasks not held by this node's live lock ('interrupted by a server restart'). */
  recoverInterrupted(nodeId: string, opts?: { leaseSeconds?: number }): Promise<StoredTask[]>;
  /** Gives an install to a task; a second live holder → EngineError('install_busy'). */
  acquireInstallLock(installId: string, taskId: string): Promise<void>;
  /** Releases an install lock held by the task (idempotent). */
  releaseInstallLock(installId: string, taskId: string): Promise<boolean>;
  /** The live task holding an install, if any. */
  installLockHolder(installId: string): Promise<string | undefined>;
  /** The client view of a stored task. */
  toTask(task: StoredTask): Task;
}

/** The tasks service. */
export function createTasksService(ctx: EngineContext, vis: Visibility, logs: LogsService): TasksService {
  const repo = createTaskRepository(ctx.db, ctx.clock);
  const locks = createInstallLocks(ctx.db, ctx.clock);
  return {
    async list(scope, q) {
      const owners = await listOwners(vis, ctx.settings.admin, scope.actor, q.user, 'view');
      return repo.list(owners, q);
    },

    async restartQueued(scope) {
      const owners = await listOwners(vis, ctx.settings.admin, scope.actor, undefined, 'view');
      const count = await repo.restartQueued(owners);
      await logs.write({
        user: scope.actor.kind === 'admin' ? ctx.settings.admin : scope.actor.id,
        cmd: 'tasks/restart',
        message: `Restarted ${count} queued task${count === 1 ? '' : 's'}.`,
      });
      return count;
    },

    get: (taskId) => repo.read(taskId),
    create: (input) => repo.create(input),
    claim: (taskId, nodeId) => repo.claim(taskId, nodeId),
    progress: (taskId, p) => repo.progress(taskId, p),
    finish: (taskId, opts) => repo.finish(taskId, opts),
    fail: (taskId, errcode, cause, secrets) => repo.fail(taskId, errcode, cause, secrets),

    async recoverInterrupted(nodeId, opts) {
      const recovered = await repo.recoverInterrupted(nodeId, opts);
      for (const t of recovered) {
        ctx.logger.warn('task interrupted by a server restart', { task: t.id, cmd: t.cmd, install: t.installId, url: t.url, lockedBy: t.lockedBy });
        await logs.write({ user: t.user, cmd: t.cmd, install: t.installId, url: t.url, title: t.title, severity: 'error', message: `Task ${t.id} was ${t.message}.` });
      }
      return recovered;
    },

    acquireInstallLock: (installId, taskId) => locks.acquire(installId, taskId),
    releaseInstallLock: (installId, taskId) => locks.release(installId, taskId),
    installLockHolder: (installId) => locks.holder(installId),
    toTask,
  };
}
