/**
 * Deletes one recording file (the retention purge). `missing` means it was already gone, which the purge
 * treats as done; `refused` means the path lies outside the recordings directories the adapter was
 * given, so a bad database row can never delete an arbitrary file.
 */
export type RemoveResult = 'removed' | 'missing' | 'refused';

export interface RecordingRemover {
  /** What `remove` would do, without doing it (dry runs report what a real run would delete). */
  inspect(path: string): Promise<'present' | 'missing' | 'refused'>;
  remove(path: string): Promise<RemoveResult>;
}
