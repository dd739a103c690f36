import { accessSync, constants, statSync, unlinkSync } from 'node:fs';
import type { CheckOutcome, DoctorCheck } from '../app/doctor/doctor-check.ts';
import type { Config } from '../config/config-schema.ts';
import { isAppError } from '../domain/errors.ts';
import type { Logger } from '../domain/ports/logger.ts';
import { probeSmppBind } from '../sms/smpp-bind-probe.ts';
import { checkPocketSphinxInstall } from '../speech/pocketsphinx-install-check.ts';
import { answerModelWithoutWhisper, checkAnswerModel, createSynthesizer } from '../speech/speech-factory.ts';
import { inspectWhisperModel } from '../speech/whisper-model-file.ts';
import { inspectDatabase } from '../store/sqlite-database-health.ts';
import { probeWritableDir, type DirProbe } from '../store/writable-dir-probe.ts';
import { displayAriUrl, probeAri } from '../telephony/asterisk/ari-health-probe.ts';
import { checkFreeswitch } from '../telephony/freeswitch/esl-inbound-client.ts';
import { engineProfile, engineRecordingsHere } from '../compose/engine-profile.ts';
import { smppGatewayConfig } from '../compose/sms-settings.ts';
import { complianceDoctorCheck } from './compliance-doctor-check.ts';
import { ledgerSigningCheck } from './ledger-signing-check.ts';

/**
 * The checks of `callkeeper doctor`, built from the loaded config the way `serve` builds its
 * adapters (src/main.ts), each turning an adapter's probe into ok / warn / fail and one line for the
 * installer. Details name paths, hosts, versions and config keys; never secrets or phone numbers.
 */
export interface DoctorSetup {
  readonly config: Config;
  /**
   * The database `serve` would open: a SQLite file (global --db, CALLKEEPER_DB, then database.path), or
   * on PostgreSQL the rows that read it (pg-doctor-checks.ts, loaded only then).
   */
  readonly database: { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'rows'; readonly rows: DatabaseRows };
  /** PATH, to find the PocketSphinx decoder as the service's child process would. */
  readonly pathEnv: string;
}

const ok = (detail: string): CheckOutcome => ({ status: 'ok', detail });
const warn = (detail: string): CheckOutcome => ({ status: 'warn', detail });
const fail = (detail: string): CheckOutcome => ({ status: 'fail', detail });

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

/** Probes that talk to a peer give up after this when the peer accepts but never answers. */
const PROBE_TIMEOUT_MS = 5_000;

/** The rows that read the database, each in the place the SQLite rows hold. */
export interface DatabaseRows {
  readonly database: DoctorCheck['run'];
  readonly ledgerSigning: DoctorCheck['run'];
  readonly compliance: DoctorCheck['run'];
}

function sqliteRows(config: Config, dbPath: string): DatabaseRows {
  return {
    database: () => databaseCheck(dbPath),
    ledgerSigning: () => ledgerSigningCheck(config, dbPath, Date.now()),
    compliance: () => complianceDoctorCheck(config, dbPath),
  };
}

export function buildDoctorChecks(setup: DoctorSetup): DoctorCheck[] {
  const { config } = setup;
  const db = setup.database.kind === 'sqlite' ? sqliteRows(config, setup.database.path) : setup.database.rows;
  return [
    { name: 'database', run: db.database },
    { name: 'ledger-signing', run: db.ledgerSigning },
    { name: 'engine', run: (signal) => (config.engine === 'asterisk' ? asteriskCheck(config, signal) : freeswitchCheck(config)) },
    { name: 'smpp', run: (signal) => smppCheck(config, signal) },
    { name: 'speech', run: () => speechCheck(config, setup.pathEnv) },
    { name: 'synthesizer', run: () => synthesizerCheck(config) },
    { name: 'prompts-dir', run: () => promptsDirCheck(config) },
    { name: 'recordings-dir', run: () => recordingsDirCheck(config) },
    { name: 'compliance', run: db.compliance },
  ];
}

const octal = (mode: number): string => `0${mode.toString(8).padStart(3, '0')}`;

function databaseCheck(path: string): CheckOutcome {
  const h = inspectDatabase(path);
  if (!h.exists) {
    if (h.dir.state === 'writable' || h.dir.state === 'creatable') return ok(`${path}: not created yet; serve creates it (mode 0600) and applies the migrations`);
    return fail(`${path}: cannot be created (${dirProblem(h.dir)})`);
  }
  if (h.notOurs !== null) return fail(h.notOurs);
  const failures: string[] = [];
  const warnings: string[] = [];
  for (const f of h.looseFiles) failures.push(`${f.file === path ? 'mode' : `${f.file} mode`} ${octal(f.mode)}, want 0600 (chmod 600 ${f.file})`);
  if (h.notWritable) failures.push(`not writable (${h.notWritable})`);
  if (h.dir.state !== 'writable') failures.push(`its directory is not writable, which SQLite's WAL needs (${dirProblem(h.dir)})`);
  if (h.unknownVersions.length > 0) failures.push(`migrated by a newer callkeeper (schema versions ${h.unknownVersions.join(', ')} unknown here)`);
  if (h.ledger && !h.ledger.ok) {
    failures.push(`ledger tampered: first bad record ${h.ledger.badId} (${h.ledger.reason}): ${h.ledger.detail}; ${h.ledger.count} records before it intact`);
  }
  // serve applies pending migrations at start, so they warn rather than fail.
  if (h.pending.length > 0) {
    warnings.push(`${h.pending.length} migration(s) pending (${h.pending.map((m) => m.version).join(', ')}): serve applies them at start, or run callkeeper db migrate`);
  }
  if (failures.length > 0) return fail(`${path}: ${[...failures, ...warnings].join('; ')}`);
  if (warnings.length > 0) return warn(`${path}: ${warnings.join('; ')}`);
  const ledger = h.ledger ? `ledger intact (${h.ledger.count} records)` : 'no ledger yet';
  return ok(`${path}: mode ${octal(h.mode ?? 0)}, schema current (${h.applied} migrations), ${ledger}`);
}

async function asteriskCheck(config: Config, signal: AbortSignal): Promise<CheckOutcome> {
  const a = config.asterisk;
  try {
    const h = await probeAri({ url: a.url, username: a.username, password: a.password ?? '', app: a.app, requestTimeoutMs: PROBE_TIMEOUT_MS, signal });
    const at = `Asterisk ${h.version} at ${displayAriUrl(a.url)}`;
    if (!h.appRegistered) return warn(`${at}; ARI app ${a.app} not registered (is callkeeper serve running?)`);
    return ok(`${at}; ARI app ${a.app} registered, ${h.appChannels} call(s) in it`);
  } catch (e) {
    const refused = isAppError(e) && e.details['status'] === 401;
    const hint = refused && a.password === undefined ? ' (asterisk.password is not set)' : '';
    return fail(`asterisk: ${(e as Error).message}${hint}`);
  }
}

async function freeswitchCheck(config: Config): Promise<CheckOutcome> {
  const fs = config.freeswitch;
  const calls = `calls expected on ${fs.listenHost}:${fs.listenPort}`;
  if (!fs.password) {
    // Without the inbound password serve runs without the liveness monitor too (src/main.ts).
    return warn(`freeswitch: freeswitch.password not set, so FreeSWITCH cannot be checked (no inbound event socket); ${calls}`);
  }
  const where = `${fs.eslHost}:${fs.eslPort}`;
  try {
    const h = await checkFreeswitch({
      host: fs.eslHost,
      port: fs.eslPort,
      password: fs.password,
      logger: quiet,
      connectTimeoutMs: PROBE_TIMEOUT_MS,
      commandTimeoutMs: PROBE_TIMEOUT_MS,
    });
    const version = /Version\s+(\S+)/.exec(h.version)?.[1] ?? h.version.split('\n', 1)[0];
    const at = `FreeSWITCH ${version} at ${where}`;
    if (!h.ready) return fail(`${at} is not ready (${h.status.split('\n', 1)[0]})`);
    return ok(`${at}, ready; ${calls}`);
  } catch (e) {
    return fail(`freeswitch at ${where}: ${(e as Error).message}`);
  }
}

async function smppCheck(config: Config, signal: AbortSignal): Promise<CheckOutcome> {
  const s = config.smpp;
  try {
    const r = await probeSmppBind({ ...smppGatewayConfig(s), responseTimeout: Math.min(s.responseTimeout, PROBE_TIMEOUT_MS) }, { signal });
    return ok(`bound to ${r.host}:${r.port} as ${r.systemId} (transceiver), then unbound`);
  } catch (e) {
    // Some SMSCs allow one bind per account: a second one, next to a running serve, is refused.
    const hint = isAppError(e, 'SMS.BIND_REFUSED') && e.retryable ? '; an SMSC allowing one bind per account refuses it while serve is bound' : '';
    const where = `${s.host}:${s.port}`;
    const message = (e as Error).message;
    return fail(`${message.includes(where) ? message : `SMSC at ${where}: ${message}`}${hint}`);
  }
}

function speechCheck(config: Config, pathEnv: string): CheckOutcome {
  const s = config.speech;
  const useWhisper = s.engine === 'whisper' || (s.engine === 'auto' && !!s.whisperModel);
  if (useWhisper) {
    if (!s.whisperModel) return fail('speech.engine is whisper but speech.whisperModel is not set (callkeeper model pull base.en)');
    try {
      const m = inspectWhisperModel(s.whisperModel);
      const main = `Whisper model ${m.path}: ${m.kind}, ${(m.sizeBytes / 1e6).toFixed(1)} MB, ${m.tensors} tensors`;
      const a = checkAnswerModel(s);
      return ok(a === null ? main : `${main}; answers: ${a.path}: ${a.kind}, ${(a.sizeBytes / 1e6).toFixed(1)} MB, ${a.tensors} tensors`);
    } catch (e) {
      const answer = (e as Error).message.startsWith('speech.answerModel');
      const hint = isAppError(e, 'SPEECH.MODEL_MISSING') ? ` (callkeeper model pull ${answer ? 'tiny.en' : 'base.en'})` : '';
      return fail(`${(e as Error).message}${hint}`);
    }
  }
  if (s.answerModel !== undefined) return fail(answerModelWithoutWhisper().message);
  const ps = checkPocketSphinxInstall({ pathEnv });
  const fallback = `PocketSphinx ${ps.binary} with the model in ${ps.modelDir}`;
  if (s.engine === 'pocketsphinx') return ok(fallback);
  return warn(`Whisper is not configured (speech.whisperModel); using the fallback, ${fallback}, which understands less`);
}

const TEST_PROMPT = 'This is a test prompt from callkeeper doctor.';

async function synthesizerCheck(config: Config): Promise<CheckOutcome> {
  const synth = createSynthesizer(config.prompts);
  const started = performance.now();
  let p = await synth.synthesize(TEST_PROMPT, { voice: config.prompts.voice });
  // A cached file proves nothing about the engine: synthesize it afresh.
  if (p.cached) {
    unlinkSync(p.file);
    p = await synth.synthesize(TEST_PROMPT, { voice: config.prompts.voice });
  }
  const ms = Math.round(performance.now() - started);
  const bytes = statSync(p.file).size;
  unlinkSync(p.file);
  // 8 kHz 16-bit mono after a 44-byte header (CachingSynthesizer's default format).
  const seconds = Math.max(0, bytes - 44) / 16_000;
  if (seconds < 0.5) return fail(`${synth.engine} produced only ${seconds.toFixed(2)} s of audio for a test sentence`);
  return ok(`${synth.engine} (voice ${config.prompts.voice}): ${seconds.toFixed(1)} s test prompt in ${ms} ms`);
}

function promptsDirCheck(config: Config): CheckOutcome {
  const p = config.prompts;
  const engineSees = p.engineDir ? `; the engine reads it as ${p.engineDir}` : '';
  const out = dirOutcome(probeWritableDir(p.dir), engineSees);
  if (out.status !== 'ok' || !p.overridesDir) return out;
  try {
    accessSync(p.overridesDir, constants.R_OK | constants.X_OK);
    return out;
  } catch (e) {
    return warn(`${out.detail}; prompts.overridesDir ${p.overridesDir} not readable (${(e as NodeJS.ErrnoException).code}), synthesized prompts are used`);
  }
}

function recordingsDirCheck(config: Config): CheckOutcome {
  const out = dirOutcome(probeWritableDir(config.recordings.dir), `; kept ${config.recordings.retentionDays} days`);
  // An engine that does not hand recordings over its API (FreeSWITCH) writes them itself; this host
  // reads them (and the purge deletes them) there.
  const fsDir = engineRecordingsHere(engineProfile(config));
  if (out.status !== 'ok' || fsDir === null) return out;
  try {
    if (!statSync(fsDir).isDirectory()) return fail(`${out.detail}; FreeSWITCH recordings path ${fsDir} is not a directory`);
  } catch {
    return warn(`${out.detail}; FreeSWITCH recordings dir ${fsDir} does not exist here yet (FreeSWITCH creates it on the first recording; on another host, mount it and set freeswitch.localRecordingsDir)`);
  }
  try {
    accessSync(fsDir, constants.R_OK | constants.X_OK);
  } catch (e) {
    return fail(`${out.detail}; FreeSWITCH recordings dir ${fsDir} not readable (${(e as NodeJS.ErrnoException).code})`);
  }
  try {
    accessSync(fsDir, constants.W_OK);
  } catch {
    return warn(`${out.detail}; FreeSWITCH recordings dir ${fsDir} readable but not writable, so the purge cannot delete there`);
  }
  return ok(`${out.detail}; FreeSWITCH recordings read from ${fsDir}`);
}

function dirOutcome(p: DirProbe, suffix: string): CheckOutcome {
  switch (p.state) {
    case 'writable':
      return ok(`${p.path} writable${suffix}`);
    case 'creatable':
      return ok(`${p.path} not created yet, ${p.ancestor} is writable${suffix}`);
    default:
      return fail(`${p.path}: ${dirProblem(p)}`);
  }
}

function dirProblem(p: DirProbe): string {
  switch (p.state) {
    case 'not-writable':
      return `not writable (${p.reason})`;
    case 'not-a-directory':
      return `${p.blocker} is not a directory`;
    default:
      return 'writable';
  }
}
