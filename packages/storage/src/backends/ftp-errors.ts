import { StorageError, fromFsError, fromNetworkError, messageOf, type StorageErrorCode } from '../storage-error';

/** FTP reply code → StorageError code and retryability (RFC 959 §4.2, RFC 3659). 550 is decided by its text. */
const FTP_REPLY: Readonly<Record<number, readonly [StorageErrorCode, boolean]>> = {
  421: ['CONNECT', true], // service not available, closing control connection
  425: ['CONNECT', true], // can't open data connection
  426: ['CONNECT', true], // connection closed; transfer aborted
  430: ['AUTH', false], // invalid user name or password
  450: ['PROTOCOL', true], // file unavailable (busy)
  451: ['PROTOCOL', true], // local error in processing
  452: ['QUOTA', false], // insufficient storage space
  530: ['AUTH', false], // not logged in
  532: ['AUTH', false], // need account for storing files
  534: ['PERMISSION', false], // request denied for policy reasons
  552: ['QUOTA', false], // exceeded storage allocation
  553: ['PERMISSION', false], // file name not allowed
};

/** Texts of a 550 (or 450/451) reply, most specific first. */
const REPLY_TEXT: readonly (readonly [RegExp, StorageErrorCode])[] = [
  // vsftpd answers a STOR whose write() failed on its disk (ENOSPC, EDQUOT) with "451 Failure writing to local
  // file." and nothing more: a refused file is refused at open (553/550), so a failed write is the disk.
  [/quota|ENOSPC|EDQUOT|disk full|no space|failure writing to local file/i, 'QUOTA'],
  [/no such|not found|not exist|doesn't exist|ENOENT|ENOTDIR|cannot find/i, 'NOT_FOUND'],
  [/permission|denied|EACCES|EPERM|not allowed|read-only|EROFS|forbidden/i, 'PERMISSION'],
];

/**
 * Maps a basic-ftp error. Reply codes go through the table; a 550 ("file unavailable") is read from its text,
 * else taken as NOT_FOUND when reading and PERMISSION when writing. Socket errors and timeouts are CONNECT.
 */
export function mapFtpError(err: unknown, what: string, op: 'read' | 'write', secrets: readonly string[]): StorageError {
  if (err instanceof StorageError) return err;
  const reply = (err as { code?: unknown }).code;
  const message = messageOf(err);
  if (typeof reply === 'number') {
    let entry = FTP_REPLY[reply];
    const byText = REPLY_TEXT.find(([re]) => re.test(message));
    if (reply === 550) entry = [byText ? byText[1] : op === 'read' ? 'NOT_FOUND' : 'PERMISSION', false];
    // Some servers (ftp-srv) answer 450/451, and a RETR of a missing file 551, with the file system's own error
    // text: trust the text.
    else if ((reply === 450 || reply === 451 || reply === 551) && byText) entry = [byText[1], false];
    const [code, retryable] = entry ?? ['PROTOCOL', reply >= 400 && reply < 500];
    return new StorageError(code, `${what}: ${message}`, { retryable, cause: err, secrets });
  }
  const network = fromNetworkError(err, what, secrets);
  if (network) return network;
  if (/client is closed|socket closed|server sent FIN|connection closed/i.test(message)) {
    return new StorageError('CONNECT', `${what}: ${message}`, { cause: err, secrets });
  }
  if (typeof reply === 'string' && /^E[A-Z]+$/.test(reply)) return fromFsError(err, what, op);
  return new StorageError('PROTOCOL', `${what}: ${message}`, { cause: err, secrets });
}
