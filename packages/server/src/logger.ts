/** The server's logger: JSON lines on stderr. Messages are redacted by the caller; this only formats. */
export interface Logger {
  info(msg: string, meta?: Record<string, unknown>): void;
  warn(msg: string, meta?: Record<string, unknown>): void;
  error(msg: string, meta?: Record<string, unknown>): void;
}

function line(level: string, msg: string, meta?: Record<string, unknown>): string {
  return JSON.stringify({ time: new Date().toISOString(), level, msg, ...meta }) + '\n';
}

export function createLogger(stream: NodeJS.WritableStream = process.stderr, quiet = false): Logger {
  return {
    info: (msg, meta) => { if (!quiet) stream.write(line('info', msg, meta)); },
    warn: (msg, meta) => { stream.write(line('warn', msg, meta)); },
    error: (msg, meta) => { stream.write(line('error', msg, meta)); },
  };
}

/** A logger that keeps lines in memory (tests assert that no secret reaches a log). */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (msg: string, meta?: Record<string, unknown>) => { lines.push(line(level, msg, meta)); };
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}
