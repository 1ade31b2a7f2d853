/**
 * Where a template's files live: one flat folder (settings `templatesDir`, the server's `<home>/templates`) holding
 * `<archive>.tar.gz` and the optional `<id>-image.png` / `<id>-icon.png`. Names come from the record only, never
 * from callers, and are checked to be plain names before any file operation.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Template } from '@installgate/contracts';

/** The archive's file name for a new template. */
export function templateArchiveName(application: string, id: string): string {
  return `template_${application}_${id}.tar.gz`;
}

/** `name` inside `dir`, or null when the name is not a plain file name (a record must never point elsewhere). */
export function templateFilePath(dir: string, name: string): string | null {
  if (!name || name !== path.basename(name) || name === '.' || name === '..') return null;
  return path.join(dir, name);
}

/** Removes the archive, image and icon of a template (missing files are fine: the goal is that none is left). */
export async function removeTemplateFiles(dir: string, t: Pick<Template, 'template_filename' | 'template_image' | 'template_icon'>): Promise<void> {
  for (const name of [t.template_filename, t.template_image, t.template_icon]) {
    const p = templateFilePath(dir, name);
    if (p) await fs.promises.rm(p, { force: true });
  }
}
