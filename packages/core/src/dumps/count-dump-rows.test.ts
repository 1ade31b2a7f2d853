import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CountDumpRows } from './count-dump-rows';

/** Counts a dump fed in chunks of `size` bytes (1 = every state change crosses a chunk boundary). */
async function count(sql: string, size = 1 << 16): Promise<Record<string, number>> {
  const buf = Buffer.from(sql, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) chunks.push(buf.subarray(i, i + size));
  const c = new CountDumpRows();
  c.resume();
  await pipeline(Readable.from(chunks), c);
  return Object.fromEntries(c.rows);
}

const DUMP = [
  '-- MariaDB dump 10.19  Distrib 10.11',
  '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;',
  'DROP TABLE IF EXISTS `wp_posts`;',
  'CREATE TABLE `wp_posts` (',
  '  `ID` bigint(20) unsigned NOT NULL AUTO_INCREMENT,',
  '  `post_content` longtext NOT NULL,',
  '  PRIMARY KEY (`ID`)',
  ') ENGINE=InnoDB;',
  'LOCK TABLES `wp_posts` WRITE;',
  "INSERT INTO `wp_posts` VALUES (1,'a (tricky) string; with ),( inside'),(2,'it\\'s \\\\ escaped (x)'),(3,0x28293B),(4,'-- not a comment /* nor this */'),(5,\"double \\\" (q)\");",
  "INSERT INTO `wp_posts` VALUES (6,'😀 (emoji)');",
  'UNLOCK TABLES;',
  'CREATE TABLE `wp_empty` (`id` int);',
  '/* a block comment with INSERT INTO `wp_posts` VALUES (9) */',
  'CREATE TABLE `we``ird` (`id` int);',
  'INSERT INTO `we``ird` VALUES (1),(2);',
  '',
].join('\n');

test('counts top-level tuples per table, skipping strings, hex, comments and quoted names', async () => {
  expect(await count(DUMP)).toEqual({ wp_posts: 6, wp_empty: 0, 'we`ird': 2 });
});

test('the count does not depend on where chunks split the stream', async () => {
  const whole = await count(DUMP);
  for (const size of [1, 2, 3, 7, 64]) expect(await count(DUMP, size)).toEqual(whole);
});

test('passes every byte through unchanged', async () => {
  const c = new CountDumpRows();
  const out: Buffer[] = [];
  c.on('data', (b: Buffer) => out.push(b));
  await pipeline(Readable.from([Buffer.from(DUMP)]), c);
  expect(Buffer.concat(out).toString('utf8')).toBe(DUMP);
});
