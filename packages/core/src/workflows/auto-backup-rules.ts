/**
 * The rules of automatic backups (GFS), as pure functions over the clock: which kinds are due, and which older
 * automatic backups retention lets go. Documented in docs/operations.md (scheduler) and docs/api-differences.md.
 */

/** The kinds a backup can count as; one backup may count as several. */
export const AUTO_BACKUP_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type AutoBackupKind = (typeof AUTO_BACKUP_KINDS)[number];

export type KindCounts = Record<AutoBackupKind, number>;

/** How old (seconds) the newest backup of a kind must be before the next one of that kind is due. */
export const KIND_PERIOD = { daily: 86_400, weekly: 7 * 86_400, monthly: 30 * 86_400 } as const satisfies Record<AutoBackupKind, number>;

/**
 * Slack on every period: a backup taken a little less than a period after the last one is due anyway, so the time
 * of day does not creep later by up to one scheduler interval (plus the backup's own duration) every day.
 */
export const DUE_SLACK_SECONDS = 3600;

/** An automatic backup and the kinds it still counts as. */
export interface AutoBackupRow {
  backup_id: string;
  backup_time: number;
  daily: boolean;
  weekly: boolean;
  monthly: boolean;
}

/**
 * The kinds due at `now`: those with a count above 0 whose newest backup is missing or at least its period (less
 * the slack) old. Empty = no backup now.
 */
export function dueKinds(counts: KindCounts, rows: readonly AutoBackupRow[], now: number): AutoBackupKind[] {
  return AUTO_BACKUP_KINDS.filter((kind) => {
    if (counts[kind] <= 0) return false;
    const newest = Math.max(-Infinity, ...rows.filter((r) => r[kind]).map((r) => r.backup_time));
    return now - newest >= KIND_PERIOD[kind] - DUE_SLACK_SECONDS;
  });
}

/** What retention does: kinds taken off backups, and the backups that count as nothing any more (to delete). */
export interface RetentionPlan {
  /** Backup id → its kinds after retention (only backups that change and keep at least one kind). */
  retag: Map<string, Record<AutoBackupKind, boolean>>;
  /** Automatic backups no kind keeps: their archives and records go. */
  drop: string[];
}

/**
 * For each kind the newest `counts[kind]` backups of that kind keep it (newest = latest backup_time, then the
 * larger id); older ones lose it. A backup left with no kind is dropped, also one that had none before (its earlier
 * deletion failed).
 */
export function planRetention(counts: KindCounts, rows: readonly AutoBackupRow[]): RetentionPlan {
  const newestFirst = [...rows].sort((a, b) => b.backup_time - a.backup_time || (a.backup_id < b.backup_id ? 1 : -1));
  const keep = new Map<string, Record<AutoBackupKind, boolean>>(newestFirst.map((r) => [r.backup_id, { daily: false, weekly: false, monthly: false }]));
  for (const kind of AUTO_BACKUP_KINDS) {
    newestFirst.filter((r) => r[kind]).slice(0, Math.max(0, counts[kind])).forEach((r) => { keep.get(r.backup_id)![kind] = true; });
  }
  const plan: RetentionPlan = { retag: new Map(), drop: [] };
  for (const r of newestFirst) {
    const kinds = keep.get(r.backup_id)!;
    if (!AUTO_BACKUP_KINDS.some((k) => kinds[k])) plan.drop.push(r.backup_id);
    else if (AUTO_BACKUP_KINDS.some((k) => kinds[k] !== r[k])) plan.retag.set(r.backup_id, kinds);
  }
  return plan;
}
