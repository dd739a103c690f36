/**
 * Deletes one recording file (issue 6 retention). `missing` means it was already gone, which the purge
 * treats as done; `refused` means the path lies outside the recordings directories the adapter was
 * given, so a bad database row can never delete an arbitrary file.
 */
export type RemoveResult = 'removed' | 'missing' | 'refused';

export interface RecordingRemover {
  /** Whether the file is there (dry runs report what a real run would delete). */
  exists(path: string): Promise<boolean>;
  remove(path: string): Promise<RemoveResult>;
}
