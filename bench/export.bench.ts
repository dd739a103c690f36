/**
 * `npm run bench:export`: builds a 1,000,000-row consent ledger, exports it as CSV through
 * `consent export`'s code path (createExportReader: the CLI's worker threads and options) in a child
 * process (so peak RSS is the export's alone, not the build's), then times the sqlite3 shell exporting
 * the same rows and columns (`sqlite3 -csv`) as the baseline. Prints one JSON line. Targets: ratio ≤ 1.5,
 * peak RSS ≤ 200 MB. Temp files live under os.tmpdir().
 *
 * ROWS=200000 npm run bench:export  runs a smaller ledger; EXPORT_* (see readerOverrides) compare reader options.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportConsent } from '../src/app/consent/export-consent.ts';
import { createExportReader, exportToFile } from '../src/cli/consent-actions.ts';
import { CONSENT_EVENTS, CONSENT_METHODS } from '../src/domain/consent.ts';
import { GENESIS_HASH, ledgerHash, ledgerTime, sha256Hex } from '../src/domain/ledger/ledger-record.ts';
import { migrate, openDatabase } from '../src/store/sqlite-database.ts';
import type { SqliteLedgerExportReaderOptions } from '../src/store/sqlite-ledger-export-reader.ts';

const SQLITE_ISO = "strftime('%Y-%m-%dT%H:%M:%fZ', at / 1000.0, 'unixepoch')";
const BASELINE_SQL = `SELECT id, ${SQLITE_ISO} AS at, business_id, did, consumer, event, method, script_version, script_sha256, transcript, audio_path, audio_sha256, call_id, source, prev_hash, hash FROM consent_ledger ORDER BY id`;

/** EXPORT_WORKERS, EXPORT_HELP (always|startup|never), EXPORT_CHUNK, EXPORT_YOUNG_MB, EXPORT_OLD_MB override the CLI's reader options, to compare. */
function readerOverrides(): Partial<SqliteLedgerExportReaderOptions> {
  const num = (name: string): number | undefined => (process.env[name] === undefined ? undefined : Number(process.env[name]));
  const o: { -readonly [K in keyof SqliteLedgerExportReaderOptions]?: SqliteLedgerExportReaderOptions[K] } = {};
  if (num('EXPORT_WORKERS') !== undefined) o.workers = num('EXPORT_WORKERS');
  if (process.env.EXPORT_HELP !== undefined) o.help = process.env.EXPORT_HELP as SqliteLedgerExportReaderOptions['help'];
  if (num('EXPORT_CHUNK') !== undefined) o.chunkIds = num('EXPORT_CHUNK');
  if (num('EXPORT_YOUNG_MB') !== undefined) o.workerYoungGenerationMb = num('EXPORT_YOUNG_MB');
  if (num('EXPORT_OLD_MB') !== undefined) o.workerOldGenerationMb = num('EXPORT_OLD_MB');
  return o;
}

async function child(dbPath: string, out: string): Promise<void> {
  const t0 = process.hrtime.bigint();
  const db = openDatabase(dbPath);
  const overrides = readerOverrides();
  await exportToFile(exportConsent(createExportReader(db, dbPath, overrides), 'csv'), out);
  db.close();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(`${JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, overrides })}\n`);
}

function build(dbPath: string, rows: number): number {
  const t0 = process.hrtime.bigint();
  const db = openDatabase(dbPath);
  migrate(db);
  const now = Date.UTC(2026, 0, 1);
  db.prepare('INSERT INTO businesses (name, timezone, consent_mode, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run('Acme', 'America/Chicago', 'verbal', now, now);
  const script = 'Before we finish — would it be okay if Acme Plumbing texts you about your service request? Reply STOP to opt out, or HELP for help.';
  const scriptSha = sha256Hex(script);
  db.prepare('INSERT INTO consent_scripts (sha256, version, text) VALUES (?, ?, ?)').run(scriptSha, 'v1', script);
  const insert = db.prepare(
    `INSERT INTO consent_ledger (id, at, business_id, did, consumer, event, method, script_version, script_sha256, transcript, audio_path, audio_sha256, call_id, source, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const transcripts = ['yes that is fine', 'no thanks', '=HYPERLINK("x")', 'sure, text me', 'uh "maybe"', '+1 yes'];
  db.transaction(() => {
    let prev = GENESIS_HASH;
    for (let id = 1; id <= rows; id++) {
      const at = now + id * 1000 + (id % 997);
      const verbal = id % 3 !== 0;
      const r = {
        id,
        at: ledgerTime(at),
        business_id: 1,
        did: '+15125550100',
        consumer: `+1512${String(5_000_000 + (id % 2_000_000)).padStart(7, '0')}`,
        event: CONSENT_EVENTS[id % CONSENT_EVENTS.length]!,
        method: CONSENT_METHODS[id % CONSENT_METHODS.length]!,
        script_version: verbal ? 'v1' : null,
        script_sha256: verbal ? scriptSha : null,
        transcript: verbal ? transcripts[id % transcripts.length]! : null,
        audio_path: verbal ? `/var/lib/callkeeper/recordings/2026-01-01/call-${id}-answer.wav` : null,
        audio_sha256: verbal ? scriptSha : null,
        call_id: verbal ? id : null,
        source: verbal ? 'call' : `sms:${id}`,
        prev_hash: prev,
      };
      const hash = ledgerHash(r);
      insert.run(r.id, at, r.business_id, r.did, r.consumer, r.event, r.method, r.script_version, r.script_sha256, r.transcript, r.audio_path, r.audio_sha256, r.call_id, r.source, r.prev_hash, hash);
      prev = hash;
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main(): Promise<void> {
  const rows = Number(process.env.ROWS ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'callkeeper-bench-export-'));
  try {
    const dbPath = join(dir, 'bench.db');
    const buildMs = build(dbPath, rows);

    const ours = join(dir, 'ours.csv');
    const t0 = process.hrtime.bigint();
    const result = await new Promise<{ ms: number; maxRssKb: number }>((resolve, reject) => {
      const c = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', dbPath, ours], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.on('error', reject);
      c.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { ms: number; maxRssKb: number }) : reject(new Error(`export child exited ${code}`))));
    });
    const childWallMs = Number(process.hrtime.bigint() - t0) / 1e6;

    const baseline = join(dir, 'sqlite3.csv');
    const fd = openSync(baseline, 'w', 0o600);
    const t1 = process.hrtime.bigint();
    const s = spawnSync('sqlite3', ['-csv', '-header', dbPath, BASELINE_SQL], { stdio: ['ignore', fd, 'inherit'] });
    const sqliteMs = Number(process.hrtime.bigint() - t1) / 1e6;
    closeSync(fd);
    if (s.status !== 0) throw new Error(`sqlite3 exited ${s.status}`);

    const r2 = (x: number): number => Math.round(x * 100) / 100;
    process.stdout.write(
      `${JSON.stringify({
        bench: 'consent-export-csv',
        rows,
        buildMs: Math.round(buildMs),
        exportMs: Math.round(result.ms),
        exportProcessMs: Math.round(childWallMs),
        sqlite3Ms: Math.round(sqliteMs),
        ratio: r2(result.ms / sqliteMs),
        ratioWithStartup: r2(childWallMs / sqliteMs),
        peakRssMb: r2(result.maxRssKb / 1024),
        oursBytes: statSync(ours).size,
        sqlite3Bytes: statSync(baseline).size,
        targets: { ratio: 1.5, peakRssMb: 200 },
      })}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!);
else await main();
