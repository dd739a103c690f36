/**
 * `npm run bench:export`: times `consent export` the way a user runs it, the whole command, start-up
 * included: `node bin/callkeeper.mjs --db X consent export --format csv|ndjson --out FILE`, run from a
 * fresh build of the current sources (scripts/build.mjs into a folder under .cache/, git-ignored, as
 * test/build/dist-build.test.ts does), against the sqlite3 shell exporting the same rows:
 *   csv     `sqlite3 -csv -header` of the same columns (time as ISO-8601 by strftime)
 *   ndjson  `sqlite3` printing one json_object() per row, the script text joined in
 * in interleaved pairs (ours, then sqlite3; the machine is shared, so both see the same load), RUNS
 * times each. Wall time, CPU time, peak RSS and minor page faults of each process come from GNU time
 * (`/usr/bin/time -f`, installed by scripts/setup.sh). Prints one JSON line per format: p50 of both, the ratio of the p50s,
 * CPU seconds of both (steadier than wall time under load), the load average beside. Goals (issue 15): ratio ≤ 1.5, export peak RSS ≤ 100 MB.
 *
 * Beside them, PostgreSQL (issue 18): the same ledger copied into a throwaway cluster (test/support/pg-cluster.ts,
 * fsync on) by `callkeeper db copy --to`, then `node bin/callkeeper.mjs --config PG.yaml consent export ...` (a
 * config with `database.kind: postgres`, start-up and config load included), and as PostgreSQL's own baseline
 * `psql -c "COPY (same columns) TO STDOUT"` (csv with a header; ndjson as json_build_object rows in COPY's text
 * format: about the same work, not the same bytes, since json_build_object spaces its colons and COPY's text
 * format escapes backslashes). A third JSON line per format: p50s and ratios.
 *
 *   ROWS=200000 RUNS=3 npm run bench:export    a smaller ledger, fewer pairs (defaults 1,000,000 and 5)
 *   FORMATS=csv npm run bench:export           one format only
 *   PG=0 npm run bench:export                  SQLite only
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSENT_EVENTS, CONSENT_METHODS } from '../src/domain/consent.ts';
import { GENESIS_HASH, ledgerHash, ledgerTime, sha256Hex } from '../src/domain/ledger/ledger-record.ts';
import { migrate, openDatabase } from '../src/store/sqlite-database.ts';
import { findPgBin, startPgCluster, type PgCluster, type PgConnection } from '../test/support/pg-cluster.ts';
import { buildCli } from './support/build-cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GNU_TIME = '/usr/bin/time';

const SQLITE_ISO = "strftime('%Y-%m-%dT%H:%M:%fZ', at / 1000.0, 'unixepoch')";
const COLUMNS = ['id', 'at', 'business_id', 'did', 'consumer', 'event', 'method', 'script_version', 'script_sha256', 'transcript', 'audio_path', 'audio_sha256', 'call_id', 'source', 'prev_hash', 'hash'];
const BASELINE = {
  csv: [['-csv', '-header'], `SELECT ${COLUMNS.map((c) => (c === 'at' ? `${SQLITE_ISO} AS at` : c)).join(', ')} FROM consent_ledger ORDER BY id`],
  ndjson: [
    ['-list'],
    `SELECT json_object(${COLUMNS.map((c) => `'${c}', ${c === 'at' ? SQLITE_ISO.replace('at /', 'l.at /') : `l.${c}`}`).join(', ')}, 'script_text', s.text) FROM consent_ledger l LEFT JOIN consent_scripts s ON s.sha256 = l.script_sha256 ORDER BY l.id`,
  ],
} as const;
type Format = keyof typeof BASELINE;

/** ISO-8601 UTC with milliseconds in PostgreSQL (integer arithmetic, as src/store/postgres/pg-ledger-export-sql.ts writes it). */
const PG_ISO = (at: string): string => `to_char(to_timestamp(${at} / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.') || to_char(${at} % 1000, 'FM000') || 'Z'`;
/** PostgreSQL's own export of the same rows, streamed by the server: what psql runs. */
const PG_BASELINE: Record<Format, string> = {
  csv: `COPY (SELECT ${COLUMNS.map((c) => (c === 'at' ? `${PG_ISO('at')} AS at` : c)).join(', ')} FROM consent_ledger ORDER BY id) TO STDOUT (FORMAT csv, HEADER)`,
  ndjson: `COPY (SELECT json_build_object(${COLUMNS.map((c) => `'${c}', ${c === 'at' ? PG_ISO('l.at') : `l.${c}`}`).join(', ')}, 'script_text', s.text) FROM consent_ledger l LEFT JOIN consent_scripts s ON s.sha256 = l.script_sha256 ORDER BY l.id) TO STDOUT`,
};

interface PgSide {
  readonly config: string;
  readonly conn: PgConnection;
  readonly psql: string | undefined;
  readonly copyS: number;
}

/** A throwaway cluster holding the SQLite ledger, copied by `callkeeper db copy --to` (src/store/postgres/README.md, "Moving an install"). */
async function pgSide(cluster: PgCluster, bin: string, dbPath: string, work: string): Promise<PgSide> {
  const conn = await cluster.createDatabase();
  const url = `postgres://${conn.user}@localhost/${conn.database}?host=${encodeURIComponent(conn.host)}&port=${conn.port}`;
  const t0 = process.hrtime.bigint();
  const env = { ...process.env };
  delete env.CALLKEEPER_DEV;
  const copy = spawnSync(process.execPath, [bin, '--db', dbPath, 'db', 'copy', '--to', url], { encoding: 'utf8', env, cwd: ROOT, timeout: 1_800_000 });
  if (copy.status !== 0) throw new Error(`db copy failed (${copy.status ?? copy.error?.message}): ${copy.stderr.slice(-500)}`);
  const copyS = Number(process.hrtime.bigint() - t0) / 1e9;
  const config = join(work, 'pg.yaml');
  writeFileSync(config, `database:\n  kind: postgres\n  url: ${JSON.stringify(url)}\n`);
  const psql = [join(findPgBin().bin, 'psql'), '/usr/bin/psql'].find((p) => existsSync(p));
  return { config, conn, psql, copyS };
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

interface Run {
  readonly s: number;
  /** User + system CPU seconds: steadier than wall time on a loaded machine. */
  readonly cpuS: number;
  readonly rssMb: number;
  /** Minor page faults: memory handed back to the kernel and faulted in again shows here (src/store/README.md). */
  readonly minorFaults: number;
  readonly bytes: number;
}

/** One process under GNU time, stdout to `out` (or its own --out): wall seconds, CPU seconds and peak RSS. */
function timed(argv: string[], out: string, stdoutToFile: boolean): Run {
  const fd = stdoutToFile ? openSync(out, 'w', 0o600) : 'ignore';
  const env = { ...process.env };
  delete env.CALLKEEPER_DEV; // the compiled entry, as a user runs it
  const r = spawnSync(GNU_TIME, ['-f', '%e %M %U %S %R', ...argv], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', env, cwd: ROOT, timeout: 600_000 });
  if (typeof fd === 'number') closeSync(fd);
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  const m = /^(\d+(?:\.\d+)?) (\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)$/.exec(last);
  if (r.status !== 0 || !m) throw new Error(`${argv.slice(0, 3).join(' ')} … failed (${r.status ?? r.error?.message}): ${r.stderr.slice(-500)}`);
  return { s: Number(m[1]), cpuS: Number(m[3]) + Number(m[4]), rssMb: Math.round(Number(m[2]) / 102.4) / 10, minorFaults: Number(m[5]), bytes: statSync(out).size };
}

const p50 = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const r2 = (x: number): number => Math.round(x * 100) / 100;

async function main(): Promise<void> {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} (GNU time) is missing: scripts/setup.sh installs it`);
  const withPg = process.env.PG !== '0';
  let cluster: PgCluster | undefined;
  const rows = Number(process.env.ROWS ?? 1_000_000);
  const runs = Number(process.env.RUNS ?? 5);
  const formats = (process.env.FORMATS?.split(',') ?? ['csv', 'ndjson']) as Format[];
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  const work = mkdtempSync(join(ROOT, '.cache', 'bench-export-'));
  try {
    const bin = buildCli(work);
    const dbPath = join(work, 'bench.db');
    const buildMs = build(dbPath, rows);
    cluster = withPg ? await startPgCluster({ fsync: true }) : undefined;
    const pg = cluster ? await pgSide(cluster, bin, dbPath, work) : undefined;
    for (const format of formats) {
      const ours: Run[] = [];
      const base: Run[] = [];
      const onPg: Run[] = [];
      const psql: Run[] = [];
      const load = [loadavg()[0]!];
      let sameBytes = true;
      for (let i = 0; i < runs; i++) {
        const out = join(work, `ours.${format}`);
        ours.push(timed([process.execPath, bin, '--db', dbPath, 'consent', 'export', '--format', format, '--out', out], out, false));
        const [flags, sql] = BASELINE[format];
        base.push(timed(['sqlite3', ...flags, dbPath, sql], join(work, `sqlite3.${format}`), true));
        if (pg) {
          const pgOut = join(work, `pg.${format}`);
          onPg.push(timed([process.execPath, bin, '--config', pg.config, 'consent', 'export', '--format', format, '--out', pgOut], pgOut, false));
          // The same bytes from both stores (test/store/postgres/pg-ledger-export.test.ts proves it on hostile rows).
          sameBytes &&= spawnSync('cmp', ['-s', out, pgOut]).status === 0;
          rmSync(pgOut, { force: true });
          if (pg.psql) {
            const { host, port, user, database } = pg.conn;
            psql.push(timed([pg.psql, '-X', '-q', '-h', host, '-p', String(port), '-U', user, '-d', database, '-c', PG_BASELINE[format]], join(work, `psql.${format}`), true));
          }
        }
        load.push(loadavg()[0]!);
        rmSync(out, { force: true });
      }
      if (pg) {
        const pgS = p50(onPg.map((r) => r.s));
        const psqlS = psql.length > 0 ? p50(psql.map((r) => r.s)) : null;
        process.stdout.write(
          `${JSON.stringify({
            bench: `consent-export-${format}-postgres`,
            rows,
            runs,
            dbCopyS: r2(pg.copyS),
            sqliteExportS: r2(p50(ours.map((r) => r.s))),
            pgExportS: r2(pgS),
            sqlite3S: r2(p50(base.map((r) => r.s))),
            psqlS: psqlS === null ? null : r2(psqlS),
            pgToSqliteExportRatio: r2(pgS / p50(ours.map((r) => r.s))),
            pgExportToPsqlRatio: psqlS === null ? null : r2(pgS / psqlS),
            psqlToSqlite3Ratio: psqlS === null ? null : r2(psqlS / p50(base.map((r) => r.s))),
            pgExportCpuS: r2(p50(onPg.map((r) => r.cpuS))),
            psqlCpuS: psql.length > 0 ? r2(p50(psql.map((r) => r.cpuS))) : null,
            pgExportPeakRssMb: Math.max(...onPg.map((r) => r.rssMb)),
            pgExportBytes: onPg[0]!.bytes,
            sameBytesAsSqliteExport: sameBytes,
            loadavg1: load.map(r2),
          })}\n`,
        );
      }
      const oursS = p50(ours.map((r) => r.s));
      const baseS = p50(base.map((r) => r.s));
      process.stdout.write(
        `${JSON.stringify({
          bench: `consent-export-${format}`,
          rows,
          runs,
          buildMs: Math.round(buildMs),
          exportS: r2(oursS),
          sqlite3S: r2(baseS),
          ratio: r2(oursS / baseS),
          pairRatios: ours.map((r, i) => r2(r.s / base[i]!.s)),
          exportCpuS: r2(p50(ours.map((r) => r.cpuS))),
          sqlite3CpuS: r2(p50(base.map((r) => r.cpuS))),
          cpuRatio: r2(p50(ours.map((r) => r.cpuS)) / p50(base.map((r) => r.cpuS))),
          exportPeakRssMb: Math.max(...ours.map((r) => r.rssMb)),
          sqlite3PeakRssMb: Math.max(...base.map((r) => r.rssMb)),
          exportMinorFaults: p50(ours.map((r) => r.minorFaults)),
          sqlite3MinorFaults: p50(base.map((r) => r.minorFaults)),
          exportBytes: ours[0]!.bytes,
          sqlite3Bytes: base[0]!.bytes,
          loadavg1: load.map(r2),
          goals: { ratio: 1.5, exportPeakRssMb: 100 },
        })}\n`,
      );
    }
  } finally {
    await cluster?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
