import { Readable } from 'node:stream';
import { SplitStatements, StatementTooLarge } from './split-statements';
import { rewriteTablePrefix, stripDefiner } from './rewrite-statement';

/** Splits `sql`, fed in chunks of `chunk` characters (1 = worst case for lookahead). */
async function split(sql: string | Buffer, chunk = 0, max?: number): Promise<string[]> {
  const buf = Buffer.isBuffer(sql) ? sql : Buffer.from(sql, 'utf8');
  const parts: Buffer[] = [];
  const size = chunk || buf.length || 1;
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  const out: string[] = [];
  const s = new SplitStatements(max ? { maxStatementBytes: max } : {});
  Readable.from(parts).pipe(s);
  for await (const st of s) out.push(st as string);
  return out;
}

/** Every case is checked whole and fed one byte at a time (UTF-8 sequences split across chunks). */
async function both(sql: string): Promise<string[]> {
  const whole = await split(sql);
  expect(await split(sql, 1)).toEqual(whole);
  expect(await split(sql, 7)).toEqual(whole);
  return whole;
}

describe('SplitStatements', () => {
  test('plain statements, trailing statement without delimiter', async () => {
    expect(await both('SELECT 1;\nSELECT 2 ;\n\nSELECT 3')).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3']);
  });

  test('semicolons inside single, double and backtick quotes', async () => {
    expect(await both("INSERT INTO `a;b` VALUES ('x;y', \"p;q\");SELECT 1;")).toEqual([
      "INSERT INTO `a;b` VALUES ('x;y', \"p;q\")",
      'SELECT 1',
    ]);
  });

  test('escaped and doubled quotes', async () => {
    const sql = "INSERT INTO t VALUES ('it\\'s; ok', 'a''b;c', 'back\\\\');INSERT INTO `x``y` VALUES (\"q\\\";\");";
    expect(await both(sql)).toEqual(["INSERT INTO t VALUES ('it\\'s; ok', 'a''b;c', 'back\\\\')", 'INSERT INTO `x``y` VALUES ("q\\";")']);
  });

  test('comments are dropped, -- needs whitespace, # and /* */', async () => {
    const sql = '-- header; comment\n# hash; comment\nSELECT 1 /* inline; */ + 2;\nSELECT 3--1;\nSELECT 4 -- tail;\n;';
    expect(await both(sql)).toEqual(['SELECT 1   + 2', 'SELECT 3--1', 'SELECT 4']);
  });

  test('MariaDB executable comments are kept', async () => {
    const sql = '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n/*M!100616 SET @OLD_NOTE_VERBOSITY=@@NOTE_VERBOSITY, NOTE_VERBOSITY=0 */;\n';
    expect(await both(sql)).toEqual([
      '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */',
      '/*M!100616 SET @OLD_NOTE_VERBOSITY=@@NOTE_VERBOSITY, NOTE_VERBOSITY=0 */',
    ]);
  });

  test('DELIMITER ;; trigger body as mariadb-dump writes it', async () => {
    const sql = [
      'DELIMITER ;;',
      "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `t_bi` BEFORE INSERT ON `t` FOR EACH ROW BEGIN SET NEW.a = CONCAT(NEW.a, ';'); SET NEW.b = 1; END */;;",
      'DELIMITER ;',
      'SELECT 1;',
    ].join('\n');
    const out = await both(sql);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^\/\*!50003 CREATE\*\/.*END \*\/$/s);
    expect(out[0]).toContain("SET NEW.a = CONCAT(NEW.a, ';'); SET NEW.b = 1;");
    expect(out[1]).toBe('SELECT 1');
  });

  test('DELIMITER $$ procedure, lower-case command, CRLF', async () => {
    const sql = 'delimiter $$\r\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END$$\r\nDELIMITER ;\r\nSELECT 3;\r\n';
    expect(await both(sql)).toEqual(['CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END', 'SELECT 3']);
  });

  test('DELIMITER is a command only at the start of a statement', async () => {
    expect(await both("SELECT 'DELIMITER $$';\nSELECT delimiter_col FROM t;")).toEqual(["SELECT 'DELIMITER $$'", 'SELECT delimiter_col FROM t']);
  });

  test('delimiters whose first character is special inside a regex character class', async () => {
    const sql = 'DELIMITER ]]\nSELECT 1; SELECT 2]]\nDELIMITER -|\nSELECT 3 - 1-|\nDELIMITER ^^\nSELECT 4 ^ 1^^\nDELIMITER ;\nSELECT 5;';
    expect(await both(sql)).toEqual(['SELECT 1; SELECT 2', 'SELECT 3 - 1', 'SELECT 4 ^ 1', 'SELECT 5']);
  });

  test('extended INSERTs of numbers, hex BLOBs and strings split only at the delimiter', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `(${i},-${i}.5e3,0x${'ab09'.repeat(i)},'a;b\\'c',"d;e",NULL)`).join(',');
    const sql = `INSERT INTO \`t;1\` VALUES ${rows};\n-- done\nINSERT INTO t VALUES (1)/* c; */;#x;\nSELECT 1`;
    expect(await both(sql)).toEqual([`INSERT INTO \`t;1\` VALUES ${rows}`, 'INSERT INTO t VALUES (1)', 'SELECT 1']);
  });

  test('4-byte UTF-8 (emoji) split across chunks', async () => {
    const sql = "INSERT INTO t VALUES ('😀🎉 ünï');";
    expect(await both(sql)).toEqual(["INSERT INTO t VALUES ('😀🎉 ünï')"]);
  });

  test('a statement over the limit fails clearly', async () => {
    await expect(split(`INSERT INTO t VALUES ('${'x'.repeat(5000)}');`, 100, 1000)).rejects.toBeInstanceOf(StatementTooLarge);
  });

  test('a dump ending inside a string fails (truncated)', async () => {
    await expect(split("INSERT INTO t VALUES ('abc")).rejects.toThrow(/ends inside/);
  });
});

describe('stripDefiner / rewriteTablePrefix', () => {
  test('DEFINER removed from DDL, kept in data', () => {
    expect(stripDefiner('/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER x')).toBe('/*!50003 CREATE*/ /*!50017 */ /*!50003 TRIGGER x');
    expect(stripDefiner("CREATE DEFINER='a'@'%' PROCEDURE p() SQL SECURITY DEFINER SELECT 1")).toBe('CREATE  PROCEDURE p() SQL SECURITY DEFINER SELECT 1');
    expect(stripDefiner('CREATE DEFINER=CURRENT_USER TRIGGER t')).toBe('CREATE  TRIGGER t');
    expect(stripDefiner("INSERT INTO t VALUES ('DEFINER=`root`@`x`')")).toBe("INSERT INTO t VALUES ('DEFINER=`root`@`x`')");
  });

  test('prefix rewrite: all identifiers in DDL, only the table in INSERT', () => {
    expect(rewriteTablePrefix('CREATE TABLE `wp_posts` (`id` int)', 'wp_', 'ab_')).toBe('CREATE TABLE `ab_posts` (`id` int)');
    expect(rewriteTablePrefix("INSERT INTO `wp_options` VALUES ('`wp_x`')", 'wp_', 'ab_')).toBe("INSERT INTO `ab_options` VALUES ('`wp_x`')");
  });
});
