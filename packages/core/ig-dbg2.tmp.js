const { SplitStatements } = require('./dist/dumps');
const { Readable } = require('stream');
(async () => {
  for (const size of [1e5, 1e6, 4e6]) {
    const huge = `CREATE TABLE t (a LONGTEXT);\nINSERT INTO t VALUES ('${'x'.repeat(size)}');\n`;
    const s = new SplitStatements({ maxStatementBytes: 5e4 });
    Readable.from([Buffer.from(huge)]).pipe(s);
    console.time(String(size));
    let n = 0; try { for await (const x of s) n++; } catch (e) { console.log("err", e.message) }
    console.timeEnd(String(size));
  }
})();
