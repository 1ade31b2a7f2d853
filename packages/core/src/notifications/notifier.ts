import type { Notification } from '@installgate/contracts';
import { ADMIN_SCOPE } from '../access/actor';
import type { Logger } from '../engine-context';
import type { EngineSettings } from '../engine-settings';
import type { InstallRepository } from '../installs/install-repository';
import type { LogsService } from '../logs/logs-service';
import { redactText } from '../secrets/redact';
import type { TaskSettled } from '../tasks/task-runner';
import type { UsersService } from '../users/users-service';
import { composeMail } from './compose-mail';
import { notificationForTask } from './notification-events';
import { createSmtpMailer, type Mailer } from './smtp-mailer';
import { checkSmtpSettings } from './smtp-settings';

/** Something that happened to an install and may be mailed to its owner (spec §8.3). */
export interface NotificationEvent {
  type: Notification;
  installId: string;
  /** Unix seconds; default: now. */
  time?: number;
  /** For the `_error` types. Redacted again with `secrets` before it goes into a mail. */
  error?: { errcode: string; message: string };
  /** Extra `name: value` lines, e.g. `{ 'New version': '6.5.5' }` for update_available. */
  details?: Readonly<Record<string, string>>;
  /** Who, where and which list, for when the install's record is gone (see TaskSpec.notification). */
  fallback?: { user: string; url: string; title: string; notification: readonly Notification[] };
  secrets?: readonly string[];
}

/**
 * Mails the install owner about events their install's `notification` list enables. Sending happens in a queue
 * after the operation has finished; nothing here can delay, fail or change an operation. A failed send is written
 * to the activity log (severity error) without secrets.
 */
export interface Notifier {
  /** False when no SMTP host is configured: events are then dropped at once. */
  readonly enabled: boolean;
  /**
   * Queues the mail of an event and returns at once; never throws. The hook for events that are not tasks:
   * the code that finds a newer version of an install calls it with `update_available` / `plugin_update_available`.
   */
  notify(event: NotificationEvent): void;
  /** The task runner's listener: maps the finished task to its notification type (notification-events.ts). */
  taskSettled(s: TaskSettled): void;
  /** Resolves once every queued mail was sent or given up. */
  drain(): Promise<void>;
  /** Drains, then closes the SMTP transport. */
  close(): Promise<void>;
}

export interface NotifierDeps {
  settings: EngineSettings;
  clock: () => number;
  logger: Logger;
  installsRepo: InstallRepository;
  users: UsersService;
  logs: LogsService;
}

/** The activity-log `cmd` of mail sends (a v2-style name: it has no v1 verb and passes through unchanged). */
const LOG_CMD = 'notifications/send';

export function createNotifier(deps: NotifierDeps): Notifier {
  const smtp = checkSmtpSettings(deps.settings.smtp);
  const disabled = new Set<Notification>(deps.settings.notificationDisabled ?? []);
  const mailer: Mailer | null = smtp ? createSmtpMailer(smtp) : null;
  const smtpSecrets = smtp?.pass ? [smtp.pass] : [];
  // One mail at a time, in the order the events happened: the owner reads them in that order too.
  let queue: Promise<void> = Promise.resolve();

  async function deliver(m: Mailer, e: NotificationEvent, time: number): Promise<void> {
    const record = await deps.installsRepo.get(e.installId);
    const about = record ? { user: record.user, url: record.url, title: record.title, notification: record.notification } : e.fallback;
    if (!about || !about.notification.includes(e.type)) return;
    const owner = await deps.users.get(ADMIN_SCOPE, about.user).catch(() => null);
    if (!owner) return; // the account was deleted meanwhile: nobody to tell
    const entry = { user: about.user, cmd: LOG_CMD, install: e.installId, url: about.url, title: about.title };
    if (!owner.email) {
      await deps.logs.write({ ...entry, severity: 'notice', message: `The ${e.type} notification was not sent: the account ${about.user} has no e-mail address.` });
      return;
    }
    const secrets = [...(e.secrets ?? []), ...smtpSecrets];
    const mail = composeMail({
      type: e.type, user: about.user, time,
      install: { id: e.installId, title: about.title, url: about.url },
      error: e.error ? { errcode: e.error.errcode, message: redactText(e.error.message, secrets) } : undefined,
      details: e.details,
    });
    try {
      await m.send(owner.email, mail);
    } catch (err) {
      const reason = redactText(err instanceof Error ? err.message : String(err), secrets);
      deps.logger.warn('notification mail not sent', { type: e.type, install: e.installId, detail: reason });
      await deps.logs.write({ ...entry, severity: 'error', message: `The ${e.type} notification to ${owner.email} could not be sent: ${reason}` }, secrets);
      return;
    }
    await deps.logs.write({ ...entry, severity: 'notice', message: `Sent the ${e.type} notification to ${owner.email}.` }, secrets);
  }

  function notify(e: NotificationEvent): void {
    if (!mailer || disabled.has(e.type)) return;
    const time = e.time ?? deps.clock();
    queue = queue.then(() => deliver(mailer, e, time)).catch((err: unknown) => {
      // A broken store or the like: logged for the operator, and the queue goes on with the next mail.
      deps.logger.error('notification failed', { type: e.type, install: e.installId, detail: redactText(String(err), smtpSecrets) });
    });
  }

  return {
    enabled: mailer !== null,
    notify,
    taskSettled(s) {
      const type = notificationForTask(s.spec.cmd, s.error !== undefined, s.spec.payload);
      if (!type || !s.spec.installId) return;
      notify({
        type, installId: s.spec.installId, error: s.error, secrets: s.spec.secrets,
        fallback: { user: s.spec.user, url: s.spec.url ?? '', title: s.spec.title ?? '', notification: s.spec.notification ?? [] },
      });
    },
    drain: () => queue,
    async close() {
      await queue;
      mailer?.close();
    },
  };
}
