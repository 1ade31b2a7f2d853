const { startMariaDb } = require('@installgate/testkit');
const { parseDbUrl } = require('./dist/runtime/db-server');
const { createAppDatabase } = require('./dist/runtime/app-database');
const { restoreDatabase } = require('./dist/dumps');
const { Readable } = require('stream');
const fs = require('fs'), os = require('os'), path = require('path');
(async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-dbg-'));
  const maria = await startMariaDb({ dir: path.join(tmp, 'db') });
  const t = setTimeout(() => { console.log('TIMEOUT'); maria.stop().then(() => process.exit(2)); }, 15000);
  try {
    const dst = await createAppDatabase(parseDbUrl(maria.url), { hint: 'dst' });
    if (process.argv[3]) await restoreDatabase(dst, Readable.from([(process.argv[3] === 'FILE' ? fs.readFileSync('/tmp/ig-prof/dump.sql') : Buffer.from(process.argv[3]))])).then(r => console.log('pre', r));
    const huge = `CREATE TABLE t (a LONGTEXT);\nINSERT INTO t VALUES ('${'x'.repeat(+process.argv[2])}');\n`;
    console.time('huge');
    await restoreDatabase(dst, Readable.from([Buffer.from(huge)])).then(r => console.log(r), e => console.log('huge err', e.message));
    console.timeEnd('huge');
  } finally { clearTimeout(t); await maria.stop(); fs.rmSync(tmp, {recursive:true, force:true}); }
})().catch(e => { console.error('ERR', e); process.exit(1); });
