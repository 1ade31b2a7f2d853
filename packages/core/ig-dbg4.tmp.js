const { SplitStatements } = require('./dist/dumps');
const { Readable } = require('stream');
async function run(text, max) {
  const s = new SplitStatements({ maxStatementBytes: max });
  Readable.from([Buffer.from(text)]).pipe(s);
  let n = 0; try { for await (const x of s) n++; } catch (e) { return 'err ' + e.message.slice(0, 40); } return n;
}
(async () => {
  let warm = require('fs').readFileSync('/tmp/ig-prof/dump.sql','utf8');

  console.time('warm'); console.log(await run(warm, 16e6)); console.timeEnd('warm');
  const huge = `CREATE TABLE t (a LONGTEXT);\nINSERT INTO t VALUES ('${'x'.repeat(+process.argv[2])}');\n`;
  console.time('huge'); console.log(await run(huge, 16e6)); console.timeEnd('huge');
})();
