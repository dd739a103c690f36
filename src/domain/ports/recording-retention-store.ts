/**
 * What the retention purge needs from the database. A call's recordings are its message
 * recording (`calls.recording_path`) and the consent-answer audio its ledger events point at
 * (`consent_ledger.audio_path` of rows with that `call_id`). Deleting them only stamps
 * `calls.recording_deleted_at`: paths and sha256 hashes stay, and the ledger is never written to.
 */
export interface ExpiredCallRecordings {
  readonly callId: number;
  readonly startedAt: number;
  /** Distinct file paths, message recording first. */
  readonly paths: readonly string[];
}

export interface RecordingRetentionStore {
  /**
   * Calls started before `before` (epoch ms) whose recordings are not yet marked deleted, in call id
   * order, after `afterCallId` (keyset paging, so a file that cannot be deleted is not listed forever).
   */
  listExpired(before: number, page: { afterCallId: number; limit: number }): ExpiredCallRecordings[];
  /** Stamps the call's recordings as deleted at `at`; a second stamp keeps the first time. */
  markDeleted(callId: number, at: number): void;
}
