import { EngineError, isEngineError } from '@installgate/contracts';

/** What a step reports while it runs: the i18n key of the step and its progress band. */
export interface StepReporter {
  (message: string, percentMin: number, percentMax: number): Promise<void>;
}

/**
 * One step of a workflow (Medusa-style): `run` does the work and returns how to undo it (or nothing when there is
 * nothing to undo). A failed step undoes its own partial work before throwing; the workflow then undoes the steps
 * before it, newest first.
 */
export interface Step<C> {
  /** Short verb-noun name, used in task errors ("failed at run-installer"). */
  readonly name: string;
  /** i18n key shown as the task message while the step runs (spec §6: `_tasks_shared_copyingfiles` …). */
  readonly message: string;
  /** Progress band of the step, in percent. */
  readonly percent: readonly [number, number];
  run(ctx: C): Promise<(() => Promise<void>) | void>;
}

/** The error a workflow throws: the step's EngineError (or internal_error) with the step named in details. */
export interface WorkflowFailure {
  step: string;
  error: EngineError;
  /** Undo steps that themselves failed (their names); the workflow still undid everything else. */
  undoFailures: string[];
}

/**
 * Runs steps in order. On a failure, runs the collected undos in reverse order (each one even if an earlier undo
 * failed), then throws the step's error as an EngineError whose `details.step` names the failed step.
 */
export async function runWorkflow<C>(steps: readonly Step<C>[], ctx: C, report: StepReporter, onUndoError?: (step: string, e: unknown) => void): Promise<void> {
  const undos: { step: string; undo: () => Promise<void> }[] = [];
  for (const step of steps) {
    await report(step.message, step.percent[0], step.percent[1]);
    try {
      const undo = await step.run(ctx);
      if (undo) undos.push({ step: step.name, undo });
    } catch (e) {
      const undoFailures: string[] = [];
      for (const u of undos.reverse()) {
        try {
          await u.undo();
        } catch (undoError) {
          undoFailures.push(u.step);
          onUndoError?.(u.step, undoError);
        }
      }
      const error = isEngineError(e) ? e : new EngineError('internal_error', { cause: e });
      throw new EngineError(error.errcode, {
        message: error.message,
        errfield: error.errfield,
        details: { ...(error.details ?? {}), step: step.name, undoFailures },
        cause: error.cause ?? e,
      });
    }
  }
}
