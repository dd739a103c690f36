import Database from 'better-sqlite3';
import { ledgerHash, type LedgerRecord } from '../../src/domain/ledger/ledger-record.ts';
import { LEDGER_COLUMNS, tupleToRecord, type LedgerTuple } from '../../src/store/ledger-row.ts';

/**
 * What someone who can write the database file can do to the ledger, through a second
 * connection with the append-only triggers dropped. Each attack leaves the chain internally valid, so
 * the chain walk alone (`SqliteConsentStore.verify`) passes; only signed checkpoints can tell.
 */
type Editable = Partial<Pick<LedgerRecord, 'event' | 'method' | 'transcript' | 'consumer' | 'source'>>;

function open(path: string): Database.Database {
  const raw = new Database(path);
  raw.exec('DROP TRIGGER IF EXISTS consent_ledger_no_update; DROP TRIGGER IF EXISTS consent_ledger_no_delete;');
  return raw;
}

function rows(raw: Database.Database, fromId: number): LedgerRecord[] {
  return (raw.prepare(`SELECT ${LEDGER_COLUMNS} FROM consent_ledger l WHERE l.id >= ? ORDER BY l.id`).raw().all(fromId) as LedgerTuple[]).map(tupleToRecord);
}

/** Edits record `id`, then recomputes its hash and every later one, so that the chain links again. */
export function rewriteRecord(path: string, id: number, edit: Editable): void {
  const raw = open(path);
  try {
    raw.transaction(() => {
      let prev = id === 1 ? undefined : (raw.prepare('SELECT hash FROM consent_ledger WHERE id = ?').pluck().get(id - 1) as string);
      for (const r of rows(raw, id)) {
        const changed = { ...r, ...(r.id === id ? edit : {}), prev_hash: prev ?? r.prev_hash };
        const hash = ledgerHash(changed);
        raw
          .prepare('UPDATE consent_ledger SET event = ?, method = ?, transcript = ?, consumer = ?, source = ?, prev_hash = ?, hash = ? WHERE id = ?')
          .run(changed.event, changed.method, changed.transcript, changed.consumer, changed.source, changed.prev_hash, hash, r.id);
        prev = hash;
      }
    })();
  } finally {
    raw.close();
  }
}

/** Appends a made-up record with a valid hash after the newest one (a copy of it with edits). */
export function forgeAppend(path: string, edit: Editable): number {
  const raw = open(path);
  try {
    const last = rows(raw, 0).at(-1)!;
    const forged = { ...last, ...edit, id: last.id + 1, prev_hash: last.hash };
    const hash = ledgerHash(forged);
    raw
      .prepare(
        `INSERT INTO consent_ledger (id, at, business_id, did, consumer, event, method, script_version, script_sha256, transcript, audio_path, audio_sha256, call_id, source, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(forged.id, Date.parse(forged.at), forged.business_id, forged.did, forged.consumer, forged.event, forged.method, forged.script_version, forged.script_sha256, forged.transcript, forged.audio_path, forged.audio_sha256, forged.call_id, forged.source, forged.prev_hash, hash);
    return forged.id;
  } finally {
    raw.close();
  }
}

/** Deletes the newest `n` records: what is left is still a valid chain. */
export function removeNewest(path: string, n: number): void {
  const raw = open(path);
  try {
    raw.prepare('DELETE FROM consent_ledger WHERE id > (SELECT max(id) FROM consent_ledger) - ?').run(n);
  } finally {
    raw.close();
  }
}
