/**
 * Runs async tasks with at most `limit` at once. Over SFTP/FTP one file costs a round trip or more before any byte
 * moves; a few files in flight hide that latency without letting memory or open handles grow with the tree.
 */
export class BoundedTasks {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;

  constructor(private readonly limit: number) {}

  /** Waits for a free slot and starts `task`; throws the first failure of an earlier task so the caller stops. */
  async add(task: () => Promise<void>): Promise<void> {
    while (this.running.size >= Math.max(1, this.limit)) await Promise.race(this.running);
    if (this.failure) throw this.failure.error;
    const p: Promise<void> = task()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Waits for every started task; throws the first failure. */
  async drain(): Promise<void> {
    await this.settle();
    if (this.failure) throw this.failure.error;
  }

  /** Waits for every started task, whatever they did (before cleaning up after a failure). */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }
}
