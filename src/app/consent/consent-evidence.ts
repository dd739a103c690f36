import { AppError } from '../../domain/errors.ts';
import { canonicalLedgerJson, ledgerHash } from '../../domain/ledger/ledger-record.ts';
import type { AsyncConsentLedger } from '../../domain/ports/async-consent-ledger.ts';
import type { AsyncCallRecordReader, CallRecordReader } from '../../domain/ports/call-record-reader.ts';
import type { ConsentLedger } from '../../domain/ports/consent-ledger.ts';
import type { EvidenceFile, EvidenceManifestEntry, EvidenceWriter } from '../../domain/ports/evidence-writer.ts';

export interface EvidenceManifest {
  readonly record_id: number;
  readonly generated_at: string;
  readonly record_hash: string;
  readonly record_hash_ok: boolean;
  readonly files: EvidenceManifestEntry[];
  /** Files the record points at that were not found (e.g. audio removed by retention, a call row gone). */
  readonly missing: string[];
  /** Audio the record points at outside the recordings directories (e.g. an imported record naming any file): not copied. */
  readonly refused: string[];
  /** Whether the copied answer audio still has the sha256 the ledger recorded; null without audio. */
  readonly audio_sha256_ok: boolean | null;
  /** Whether the copied message recording still has the sha256 its call row recorded; null without one. */
  readonly message_sha256_ok: boolean | null;
}

/**
 * `consent evidence ID --out DIR`: everything needed to show what a consumer heard and said.
 * record.json (the row, its canonical bytes and whether its hash recomputes), script.txt as played,
 * transcript.txt, the answer audio when present, and for a record taken on a call, call.json (the call
 * row as stored) and the caller's message recording when its file still exists, so the bundle shows
 * the consent answer in the context of what the caller asked for. manifest.json lists each file with
 * its sha256. The chain as a whole is checked by `consent verify`. The bundle goes into a new or empty
 * directory, and audio is copied only from the recordings directories (the EvidenceWriter's rules).
 * The ledger and the call rows are read through either port: SQLite's synchronous stores, or PostgreSQL's
 * (PgConsentStore.record, PgCallRecordReader) behind promises.
 */
export async function writeConsentEvidence(
  deps: { ledger: Pick<ConsentLedger, 'record'> | Pick<AsyncConsentLedger, 'record'>; calls: CallRecordReader | AsyncCallRecordReader; writer: EvidenceWriter; now: () => number },
  id: number,
  outDir: string,
): Promise<EvidenceManifest> {
  const record = await deps.ledger.record(id);
  if (!record) throw new AppError('INPUT.NOT_FOUND', `no consent record with id ${id}`);
  const { script_text: scriptText, ...row } = record;
  const hashOk = ledgerHash(row) === row.hash;
  const files: EvidenceFile[] = [
    { name: 'record.json', content: `${JSON.stringify({ record: row, canonical: canonicalLedgerJson(row), hash_ok: hashOk }, null, 2)}\n` },
  ];
  if (scriptText !== null) files.push({ name: 'script.txt', content: `${scriptText}\n` });
  if (row.transcript !== null) files.push({ name: 'transcript.txt', content: `${row.transcript}\n` });
  if (row.audio_path !== null) files.push({ name: `answer-audio${extension(row.audio_path)}`, copyFrom: row.audio_path });
  const call = row.call_id === null ? undefined : await deps.calls.callRecord(row.call_id);
  if (call) {
    files.push({ name: 'call.json', content: `${JSON.stringify(call, null, 2)}\n` });
    if (call.recording_path !== null) files.push({ name: `message-audio${extension(call.recording_path)}`, copyFrom: call.recording_path });
  }
  const bundle = await deps.writer.create(outDir);
  const { written, missing, refused } = await bundle.write(files);
  if (row.call_id !== null && !call) missing.push('call.json');
  const audio = written.find((f) => f.name.startsWith('answer-audio'));
  const message = written.find((f) => f.name.startsWith('message-audio'));
  const manifest: EvidenceManifest = {
    record_id: row.id,
    generated_at: new Date(deps.now()).toISOString(),
    record_hash: row.hash,
    record_hash_ok: hashOk,
    files: written,
    missing,
    refused,
    audio_sha256_ok: audio === undefined || row.audio_sha256 === null ? null : audio.sha256 === row.audio_sha256,
    message_sha256_ok: message === undefined || !call || call.recording_sha256 === null ? null : message.sha256 === call.recording_sha256,
  };
  await bundle.write([{ name: 'manifest.json', content: `${JSON.stringify(manifest, null, 2)}\n` }]);
  return manifest;
}

function extension(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 && /^\.[A-Za-z0-9]{1,8}$/.test(base.slice(dot)) ? base.slice(dot) : '';
}
