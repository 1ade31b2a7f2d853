import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderErrcodes } from './render-errcodes';
import { renderFieldMap } from './render-field-map';

/** The generated pages of docs/, by file name. */
export const GENERATED_DOCS: Record<string, () => string> = {
  'errcodes.md': renderErrcodes,
  'v1-v2-field-map.md': renderFieldMap,
};

export function docsDir(): string {
  return path.resolve(__dirname, '..', '..', '..', 'docs');
}

if (require.main === module) {
  for (const [name, render] of Object.entries(GENERATED_DOCS)) {
    fs.writeFileSync(path.join(docsDir(), name), render());
    process.stdout.write(`wrote docs/${name}\n`);
  }
}
