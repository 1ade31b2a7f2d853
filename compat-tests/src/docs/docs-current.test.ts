import * as fs from 'node:fs';
import * as path from 'node:path';
import { docsDir, GENERATED_DOCS } from './write-docs';

describe('generated docs are current', () => {
  test.each(Object.keys(GENERATED_DOCS))('docs/%s matches the code (regenerate with node compat-tests/dist/docs/write-docs.js)', (name) => {
    const onDisk = fs.readFileSync(path.join(docsDir(), name), 'utf8');
    expect(onDisk).toBe(GENERATED_DOCS[name]!());
  });
});
