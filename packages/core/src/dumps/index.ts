export { dumpDatabase, dumpBinary, dumpError, DUMP_ARGS } from './dump-database';
export { restoreDatabase, type RestoreDatabaseOptions } from './restore-database';
export { SplitStatements, StatementTooLarge, type SplitStatementsOptions } from './split-statements';
export { stripDefiner, rewriteTablePrefix } from './rewrite-statement';
export { withDefaultsFile, clientOptions, quoteOptionValue } from './defaults-file';
