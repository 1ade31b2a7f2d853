/**
 * Rewrites of single dump statements before they are executed on restore.
 */

/** Statements that can carry a DEFINER clause: CREATE/ALTER of triggers, routines, views, events. */
const DDL = /^\s*(\/\*!\d*\s*)?(CREATE|ALTER)\b/i;
const IDENT = String.raw`(?:\`(?:[^\`]|\`\`)*\`|'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|[A-Za-z0-9_$.%-]+)`;
const DEFINER = new RegExp(String.raw`\bDEFINER\s*=\s*(?:CURRENT_USER(?:\s*\(\s*\))?|CURRENT_ROLE|${IDENT}(?:\s*@\s*${IDENT})?)`, 'gi');

/**
 * Removes `DEFINER=user@host` (also `CURRENT_USER`) from CREATE/ALTER statements, so the restoring user — who
 * cannot usually name another definer — becomes the definer. Data statements (INSERT…) are never touched, so a row
 * containing the text "DEFINER=" keeps it. `SQL SECURITY DEFINER` stays.
 */
export function stripDefiner(stmt: string): string {
  if (!DDL.test(stmt)) return stmt;
  return stmt.replace(DEFINER, '');
}

/**
 * Renames tables whose names start with `from` to start with `to`.
 * - INSERT/REPLACE: only the target table (the first backquoted identifier), so row data is never changed.
 * - Other statements (CREATE TABLE, LOCK TABLES, ALTER, triggers, routines, views): every backquoted identifier
 *   and every bare word starting with `from`, outside string literals. Trigger and routine bodies are dumped as
 *   they were written, usually with bare table names. A column whose name starts with the prefix would be renamed
 *   too (WordPress has none).
 */
export function rewriteTablePrefix(stmt: string, from: string, to: string): string {
  if (from === to || !from) return stmt;
  const rename = (name: string) => (name.startsWith(from) ? `${to}${name.slice(from.length)}` : name);
  if (/^\s*(INSERT|REPLACE)\b/i.test(stmt)) return stmt.replace(/`((?:[^`]|``)*)`/, (_m, name: string) => `\`${rename(name)}\``);
  const esc = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const tokens = new RegExp(String.raw`'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|\`((?:[^\`]|\`\`)*)\`|(?<![A-Za-z0-9_$.@])(${esc}[A-Za-z0-9_$]*)`, 'g');
  return stmt.replace(tokens, (m: string, quoted?: string, bare?: string) => {
    if (quoted !== undefined) return `\`${rename(quoted)}\``;
    if (bare !== undefined) return rename(bare);
    return m;
  });
}
