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
  /**
   * Taken by another node (PostgreSQL's `calls.node`): its files are on that node's disk, so a file
   * missing here is not gone, and one outside this node's directories is not a fault. Absent: this
   * node's call, or no node is known (SQLite; calls from before PostgreSQL migration pg-006-call-node).
   */
  readonly elsewhere?: boolean;
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
