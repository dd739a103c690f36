import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { addBusiness } from '../../src/app/business/add-business.ts';
import type { CallResult } from '../../src/app/call/call-types.ts';
import { configSchema, type Config } from '../../src/config/config-schema.ts';
import type { Business } from '../../src/domain/business.ts';
import type { Logger } from '../../src/domain/ports/logger.ts';
import { createLogger } from '../../src/log/pino-logger-factory.ts';
import type { Transcriber } from '../../src/domain/ports/transcriber.ts';
import { sqliteDbOf, startService, type Service } from '../../src/main.ts';
import type { SqliteDb } from '../../src/store/sqlite-database.ts';
import { AriSimulator } from '../../src/sim/ari/ari-simulator.ts';
import type { ScriptedCall, ScriptedCallResult } from '../../src/sim/caller-script.ts';
import { EslSim } from '../../src/sim/esl/esl-sim.ts';
import { SmscSimulator } from '../../src/sim/smsc/smsc-simulator.ts';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { EslCallEngine } from '../../src/telephony/freeswitch/esl-call-engine.ts';
import { waitFor, withTimeout } from '../support/wait-for.ts';

/**
 * The whole service (`startService`, what `callkeeper serve` runs) against real peers on port-0
 * sockets: the SMSC simulator, and the ARI simulator or the ESL peer depending on `engine`; SQLite on a
 * temp file; prompts synthesized by the configured default synthesizer. Only the recognizer is
 * injected (see tone-speech.ts for why).
 */
export type EngineKind = 'asterisk' | 'freeswitch';

export const ADMIN_TOKEN = 'e2e-admin-token';
const ESL_PASSWORD = 'ClueCon';
/** A guard against a hung test, not a timing assertion: every wait here normally ends in milliseconds. */
const WAIT_GUARD_MS = 20_000;

export interface MemoryLogger extends Logger {
  readonly records: Array<{ level: string; msg: string; fields: Record<string, unknown> }>;
  /** Every line exactly as the product logger serialized it (redaction applied). */
  readonly lines: string[];
}

/**
 * The product logger (pino with its redaction) at debug level, writing into memory: the e2e runs check
 * what an operator's journal would hold, not what a fake chose to keep.
 */
export function memoryLogger(): MemoryLogger {
  const records: MemoryLogger['records'] = [];
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) {
        if (!line) continue;
        lines.push(line);
        const { level, msg, ...fields } = JSON.parse(line) as Record<string, unknown>;
        records.push({ level: String(level), msg: String(msg), fields });
      }
      cb();
    },
  });
  return Object.assign(createLogger({ level: 'debug' }, { destination: stream }), { records, lines });
}

export interface HarnessOptions {
  readonly engine: EngineKind;
  readonly transcriber: Transcriber;
  /** Shared synthesized-prompt cache, so each service does not synthesize the same prompts again. */
  readonly promptsDir: string;
  /** Simulated ms per real ms (0: instant). */
  readonly timeScale?: number;
  /** false: the engine simulator is not running at start (`bringEngineUp()` starts it). */
  readonly engineUp?: boolean;
  readonly call?: Partial<Config['call']>;
  readonly logger?: Logger;
  /** How long to wait for a call's result before giving up (a hang guard); default 20 s. */
  readonly waitGuardMs?: number;
  /** More config sections (e.g. `assist`, `notify`), validated with the rest. */
  readonly extraConfig?: Record<string, unknown>;
}

export interface PlacedCall {
  readonly channelId: string;
  /** What the simulated caller lived through. */
  readonly caller: Promise<ScriptedCallResult>;
  /** The service's result for this call (its row closed). */
  readonly result: Promise<CallResult>;
}

export interface OutboundRow {
  id: number;
  recipient: string;
  sender: string;
  body: string;
  kind: string;
  call_id: number | null;
  consent_event_id: number | null;
  state: string;
  created_at: number;
  claimed_at: number | null;
  submitted_at: number | null;
}

export interface CallRow {
  id: number;
  channel_id: string;
  outcome: string | null;
  ended_at: number | null;
  recording_path: string | null;
  recording_sha256: string | null;
  transcript: string | null;
}

export interface LedgerRow {
  id: number;
  at: number;
  event: string;
  method: string;
  consumer: string;
  call_id: number | null;
  transcript: string | null;
}

export class ServeHarness {
  readonly results: CallResult[] = [];
  private readonly byChannel = new Map<string, CallResult>();
  private resultWaiters: Array<() => void> = [];
  private constructor(
    readonly engine: EngineKind,
    readonly dir: string,
    readonly config: Config,
    readonly service: Service,
    readonly smsc: SmscSimulator,
    private ari: AriSimulator | null,
    private readonly esl: EslSim | null,
    private readonly engineUp: () => Promise<void>,
    private readonly cleanupDir: boolean,
    private readonly waitGuardMs: number,
  ) {
    service.onCallFinished((r) => {
      this.results.push(r);
      if (r.callId !== null) {
        try {
          const row = sqliteDbOf(service).prepare('SELECT channel_id FROM calls WHERE id = ?').get(r.callId) as { channel_id: string } | undefined;
          if (row) this.byChannel.set(row.channel_id, r);
        } catch {
          // The database is already closed (a call that outlived the shutdown): only `results` has it.
        }
      }
      for (const w of this.resultWaiters.splice(0)) w();
    });
  }

  static async start(opts: HarnessOptions): Promise<ServeHarness> {
    const dir = mkdtempSync(join(tmpdir(), `ck-e2e-${opts.engine}-`));
    const timeScale = opts.timeScale ?? 0;
    const smsc = new SmscSimulator({ receipts: 'tlv' });
    const smscPort = await smsc.listen();
    const up = opts.engineUp ?? true;
    let ari: AriSimulator | null = null;
    let esl: EslSim | null = null;
    let enginePort: number;
    if (opts.engine === 'asterisk') {
      enginePort = up ? 0 : await freePort();
      if (up) {
        ari = await AriSimulator.start({ timeScale, username: 'callkeeper', password: 'e2e', app: 'callkeeper' });
        enginePort = Number(new URL(ari.url).port);
      }
    } else {
      enginePort = await freePort();
      esl = new EslSim({ timeScale, inboundPort: enginePort, password: ESL_PASSWORD });
      if (up) await esl.start();
    }
    const config: Config = configSchema.parse({
      engine: opts.engine,
      database: { path: join(dir, 'callkeeper.db') },
      recordings: { dir: join(dir, 'recordings') },
      prompts: { dir: opts.promptsDir },
      asterisk: { url: `http://127.0.0.1:${enginePort}`, username: 'callkeeper', password: 'e2e' },
      freeswitch: { listenPort: 0, eslPort: enginePort, password: ESL_PASSWORD, recordingsDir: join(dir, 'fs-recordings') },
      smpp: { host: '127.0.0.1', port: smscPort, systemId: 'e2e', password: 'e2e' },
      call: opts.call ?? {},
      admin: { port: 0, token: ADMIN_TOKEN },
      log: { level: 'warn' },
      ...(opts.extraConfig ?? {}),
    });
    const service = await startService(config, { logger: opts.logger ?? memoryLogger(), transcriber: opts.transcriber, retention: false });
    if (esl) {
      const engine = service.engine;
      if (!(engine instanceof EslCallEngine)) throw new Error('engine freeswitch did not build an EslCallEngine');
      esl.setOutbound(() => engine.listeningAddress());
    }
    let h: ServeHarness;
    const engineUp = async (): Promise<void> => {
      if (opts.engine === 'asterisk') {
        h.ari = await AriSimulator.start({ timeScale, username: 'callkeeper', password: 'e2e', app: 'callkeeper', port: enginePort });
      } else {
        await esl?.start();
      }
    };
    h = new ServeHarness(opts.engine, dir, config, service, smsc, ari, esl, engineUp, true, opts.waitGuardMs ?? WAIT_GUARD_MS);
    return h;
  }

  get db(): SqliteDb {
    return sqliteDbOf(this.service);
  }

  /** Starts the engine simulator when the harness was started with `engineUp: false`. */
  bringEngineUp(): Promise<void> {
    return this.engineUp();
  }

  /** Resolves when the service reports every dependency up and the engine would deliver calls. */
  async ready(): Promise<void> {
    // As an installer's SIGHUP after `business add`: the businesses added since start get their prompts.
    await this.service.warmPrompts();
    await waitFor(() => this.service.readiness.ready(), { timeoutMs: WAIT_GUARD_MS, what: 'the service to be ready' });
    if (this.ari) await withTimeout(this.ari.whenAppConnected(), WAIT_GUARD_MS, 'the service to connect to the ARI simulator');
  }

  addBusiness(name: string, did: string, consentMode: 'verbal' | 'implied'): Business {
    return addBusiness(new SqliteBusinessDirectory(this.db), { name, dids: [did], timezone: 'America/Chicago', consentMode });
  }

  consent(): SqliteConsentStore {
    return new SqliteConsentStore(this.db);
  }

  /** Places a scripted call on the running engine simulator. */
  placeCall(call: ScriptedCall, hooks: { onRecordingStarted?: (nth: number) => void } = {}): PlacedCall {
    let channelId: string;
    let caller: Promise<ScriptedCallResult>;
    if (this.ari) {
      const ari = this.ari;
      let offObserver: (() => void) | null = null;
      if (hooks.onRecordingStarted) {
        const cb = hooks.onRecordingStarted;
        let n = 0;
        offObserver = ari.onEvent((e) => {
          const ev = e as { type?: string; recording?: { target_uri?: string } };
          if (ev.type === 'RecordingStarted' && ev.recording?.target_uri === `channel:${channelId}`) cb(++n);
        });
      }
      const handle = ari.placeCall(call);
      if (handle.channelId === null) throw new Error('the ARI simulator rejected the call (no app connected)');
      channelId = handle.channelId;
      caller = handle.result.finally(() => offObserver?.());
    } else if (this.esl) {
      const handle = this.esl.placeCall(call);
      channelId = handle.channelId;
      if (hooks.onRecordingStarted) {
        // The ESL peer has no event observer: watch the commands the application sends on the call's
        // socket and act when it executes `record` (the moment the message recording starts).
        const cb = hooks.onRecordingStarted;
        const commands = handle.channel.commands;
        const push = commands.push.bind(commands);
        let n = 0;
        commands.push = (...items) => {
          const out = push(...items);
          for (const c of items) if (c.headers.get('execute-app-name') === 'record') cb(++n);
          return out;
        };
      }
      caller = handle.result;
    } else {
      throw new Error('no engine simulator');
    }
    const result = this.resultFor(channelId);
    // Awaited by the caller when it wants it; a guard timeout must not surface as an unhandled rejection.
    result.catch(() => undefined);
    return { channelId, caller, result };
  }

  /**
   * Places a call the service is not expected to take (during a drain it hands calls back to the
   * dialplan): only what the simulated caller lived through, no service result is awaited.
   */
  ring(call: ScriptedCall): { readonly channelId: string; readonly caller: Promise<ScriptedCallResult> } {
    if (this.ari) {
      const handle = this.ari.placeCall(call);
      if (handle.channelId === null) throw new Error('the ARI simulator rejected the call (no app connected)');
      return { channelId: handle.channelId, caller: handle.result };
    }
    if (this.esl) {
      const handle = this.esl.placeCall(call);
      return { channelId: handle.channelId, caller: handle.result };
    }
    throw new Error('no engine simulator');
  }

  /** The service's result for the call on this channel (its row is closed by then). */
  async resultFor(channelId: string): Promise<CallResult> {
    const until = Date.now() + this.waitGuardMs;
    for (;;) {
      const r = this.byChannel.get(channelId);
      if (r) return r;
      if (Date.now() > until) throw new Error('timed out waiting for the call to finish');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.waitGuardMs);
        this.resultWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Recordings the engine still holds: Asterisk's stored recordings, or the files FreeSWITCH wrote. */
  engineRecordings(): string[] {
    if (this.ari) return this.ari.storedRecordingNames();
    const dir = this.config.freeswitch.recordingsDir;
    return existsSync(dir) ? readdirSync(dir) : [];
  }

  callRow(callId: number): CallRow {
    return this.db.prepare('SELECT id, channel_id, outcome, ended_at, recording_path, recording_sha256, transcript FROM calls WHERE id = ?').get(callId) as CallRow;
  }

  ledgerFor(consumer: string): LedgerRow[] {
    return this.db.prepare('SELECT id, at, event, method, consumer, call_id, transcript FROM consent_ledger WHERE consumer = ? ORDER BY id').all(consumer) as LedgerRow[];
  }

  outboundTo(recipient: string): OutboundRow[] {
    return this.db
      .prepare('SELECT id, recipient, sender, body, kind, call_id, consent_event_id, state, created_at, claimed_at, submitted_at FROM outbound_messages WHERE recipient = ? ORDER BY id')
      .all(recipient) as OutboundRow[];
  }

  outboundStates(): Record<string, number> {
    const rows = this.db.prepare('SELECT state, COUNT(*) AS n FROM outbound_messages GROUP BY state').all() as Array<{ state: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  /** Texts the SMSC accepted for this number (E.164 with or without the +). */
  textsTo(number: string): Array<{ to: string; from: string; text: string }> {
    const digits = number.replace(/^\+/, '');
    return this.smsc.messages().filter((m) => m.to.replace(/^\+/, '') === digits);
  }

  /**
   * Waits until nothing is left to send: no outbound row queued or submitting, and the staff
   * notifications of finished calls have run. After this the SMSC has seen every text it will see.
   */
  async settled(): Promise<void> {
    await this.service.notify.notify.drain();
    await waitFor(() => {
      const s = this.outboundStates();
      return (s['queued'] ?? 0) === 0 && (s['submitting'] ?? 0) === 0;
    }, { timeoutMs: WAIT_GUARD_MS, what: 'the outbox to drain' });
  }

  async readyz(): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`http://${this.service.admin.host}:${this.service.admin.port}/readyz`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    return { status: res.status, body: await res.json() };
  }

  async close(): Promise<void> {
    await this.service.shutdown('e2e finished');
    await this.smsc.close();
    await this.ari?.close();
    await this.esl?.stop();
    if (this.cleanupDir) rmSync(this.dir, { recursive: true, force: true });
  }
}


/** A port nothing listens on right now (the engine "down at start" case binds it later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!a || typeof a !== 'object') throw new Error('no port');
  return a.port;
}
