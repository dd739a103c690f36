import type { CheckResult, DoctorReport } from '../app/doctor/doctor-check.ts';
import { runDoctor } from '../app/doctor/run-doctor.ts';
import { createSystemClock } from '../app/system-clock.ts';
import { serveConfigProblems } from '../config/serve-config-rules.ts';
import { AppError } from '../domain/errors.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { buildDoctorChecks, type DoctorSetup } from './doctor-checks.ts';

/** `doctor` (src/cli/doctor-command.ts). */
export async function doctor(ctx: CliContext, opts: { json?: boolean; timeout?: number }): Promise<void> {
  const report = await diagnose(ctx, opts.timeout === undefined ? undefined : Math.round(opts.timeout * 1000));
  if (opts.json) writeLine(ctx.stdout, JSON.stringify({ ok: report.ok, checks: report.results }, null, 2));
  else printTable(ctx, report.results);
  const failed = report.results.filter((r) => r.status === 'fail');
  if (failed.length > 0) {
    throw new AppError('DOCTOR.CHECKS_FAILED', `${failed.length} check(s) failed: ${failed.map((r) => r.name).join(', ')}`);
  }
}

async function diagnose(ctx: CliContext, timeoutMs: number | undefined): Promise<DoctorReport> {
  let loaded: ReturnType<CliContext['config']>;
  try {
    loaded = ctx.config();
  } catch (e) {
    // Nothing else can be checked without a config: one failed row, each problem on it.
    return { ok: false, results: [{ name: 'config', status: 'fail', detail: configProblems(e) }] };
  }
  const { config, source } = loaded;
  const refused = serveConfigProblems(config);
  const configRow: CheckResult =
    refused.length > 0
      ? { name: 'config', status: 'fail', detail: `serve would refuse it: ${refused.join('; ')}` }
      : { name: 'config', status: 'ok', detail: `${source ?? 'no file: defaults + environment'}; engine ${config.engine}` };
  const run = (database: DoctorSetup['database']): Promise<DoctorReport> =>
    runDoctor(buildDoctorChecks({ config, database, pathEnv: ctx.env.PATH ?? '' }), { clock: createSystemClock() }, timeoutMs === undefined ? {} : { timeoutMs });
  const db = ctx.database();
  let report: DoctorReport;
  if (db.kind === 'postgres') {
    // Imported only here: the SQLite install's doctor does not load the PostgreSQL driver.
    const { PgDoctorDatabase } = await import('./pg-doctor-checks.ts');
    const pg = new PgDoctorDatabase(config, db.settings);
    try {
      report = await run({ kind: 'rows', rows: pg.rows(Date.now) });
    } finally {
      await pg.close();
    }
  } else {
    report = await run({ kind: 'sqlite', path: db.path });
  }
  return { ok: report.ok, results: [configRow, ...report.results] };
}

/** The loader's problems: its message is one line listing them all, and never quotes the file (config-loader.ts). */
function configProblems(e: unknown): string {
  if (!(e instanceof AppError)) return `cannot load the config: ${(e as Error)?.message?.split('\n', 1)[0] ?? String(e)}`;
  return e.message.split('\n', 1)[0] ?? '';
}

const LABEL = { ok: 'ok', warn: 'WARN', fail: 'FAIL' } as const;

function printTable(ctx: CliContext, rows: readonly CheckResult[]): void {
  const nameWidth = Math.max('CHECK'.length, ...rows.map((r) => r.name.length));
  const line = (a: string, b: string, c: string): string => `${a.padEnd(nameWidth)}  ${b.padEnd(8)}${c}`.trimEnd();
  writeLine(ctx.stdout, line('CHECK', 'STATUS', 'DETAIL'));
  for (const r of rows) writeLine(ctx.stdout, line(r.name, LABEL[r.status], r.detail));
  const count = (s: CheckResult['status']): number => rows.filter((r) => r.status === s).length;
  writeLine(ctx.stdout, `\n${count('ok')} ok, ${count('warn')} warning(s), ${count('fail')} failed`);
}
