/**
 * The body of a task that runs a workflow: checks that must run under the task's locks, the steps, and one
 * activity-log line for the outcome (severity error with the failure's message, or the success line). Undo steps
 * that fail are logged to the server log with the install they belong to.
 */
import { EngineError } from '@installgate/contracts';
import type { LogWrite } from '../logs/logs-service';
import { runWorkflow, type Step, type StepReporter } from '../tasks/run-workflow';
import type { AppDeps } from './app-deps';

export interface LoggedWorkflow<C> {
  steps: readonly Step<C>[];
  run: C;
  progress: StepReporter;
  installId: string;
  /** The activity-log entry without its message (user, cmd, install, url, title…). */
  entry: Omit<LogWrite, 'message'>;
  secrets: readonly string[];
  /** Checks done again inside the task (under its locks) before the first step. */
  before?: () => Promise<void>;
  failed(err: EngineError): string;
  done(): string;
}

export async function runLoggedWorkflow<C>(deps: AppDeps, w: LoggedWorkflow<C>): Promise<void> {
  try {
    await w.before?.();
    await runWorkflow(w.steps, w.run, w.progress, (step, e) => deps.logger.error('undo failed', { step, install: w.installId, detail: String(e) }));
  } catch (e) {
    const err = e instanceof EngineError ? e : new EngineError('internal_error', { cause: e });
    await deps.logs.write({ ...w.entry, severity: 'error', message: w.failed(err) }, w.secrets);
    throw e;
  }
  await deps.logs.write({ ...w.entry, message: w.done() }, w.secrets);
}
