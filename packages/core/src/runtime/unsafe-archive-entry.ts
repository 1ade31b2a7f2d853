/** The refusal extractRelease (release-writer.ts) throws for an archive entry that must not be written. */
import { EngineError } from '@installgate/contracts';

export type UnsafeReason =
  | 'absolute-path'
  | 'parent-path'
  | 'link-outside'
  | 'hardlink-outside'
  | 'device'
  | 'unsupported-type'
  | 'through-symlink'
  | 'exists'
  | 'top-folder';

/** An archive entry that would write outside the folder or somewhere it must not. errcode `internal_error`. */
export class UnsafeArchiveEntry extends EngineError {
  constructor(
    readonly reason: UnsafeReason,
    readonly entryPath: string,
    written: string[],
  ) {
    super('internal_error', {
      message: `Refused archive entry ${JSON.stringify(entryPath.slice(0, 200))}: ${reason}.`,
      details: { reason, entry: entryPath.slice(0, 200), written },
    });
    this.name = 'UnsafeArchiveEntry';
  }
}
