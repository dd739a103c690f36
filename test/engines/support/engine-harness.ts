import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { addBusiness } from '../../../src/app/business/add-business.ts';
import type { CallResult } from '../../../src/app/call/call-types.ts';
import { configSchema, type Config } from '../../../src/config/config-schema.ts';
import type { Business } from '../../../src/domain/business.ts';
import { sqliteDbOf, startService, type Service } from '../../../src/main.ts';
import type { SqliteDb } from '../../../src/store/sqlite-database.ts';
import { SmscSimulator } from '../../../src/sim/smsc/smsc-simulator.ts';
import { SqliteBusinessDirectory } from '../../../src/store/sqlite-business-directory.ts';
import { SqliteConsentStore } from '../../../src/store/sqlite-consent-store.ts';
import { memoryLogger, type MemoryLogger } from '../../e2e/serve-harness.ts';
import { ToneTranscriber } from '../../e2e/tone-speech.ts';
import { AsteriskInstance } from './asterisk-instance.ts';
import type { EngineBinaries } from './engine-binaries.ts';
import { until } from './engine-process.ts';
import { EslHangupSwallower } from './esl-hangup-swallower.ts';
import { freeTcpPort } from './free-ports.ts';
import { FreeswitchInstance } from './freeswitch-instance.ts';
import { runSippCall, type SippCall, type SippResult } from './sipp-caller.ts';

export type EngineKind = 'asterisk' | 'freeswitch';

/** Waits for a service-side state (a text at the SMSC, a ledger row): seconds on a quiet machine. */
export const STATE_GUARD_MS = 30_000;

export interface LedgerRow {
  readonly event: string;
  readonly method: string;
  readonly call_id: number | null;
  readonly transcript: string | null;
}

/**
 * callkeeper's `serve` (startService, as test/e2e/serve-harness.ts) in this process against a real
 * engine it starts itself, the SMSC simulator and SIPp callers. Only the recognizer is injected: the
 * tone transcriber of test/e2e/tone-speech.ts, so what the caller "says" decodes the same every run.
 */
export class EngineHarness {
  service: Service;
  readonly results: CallResult[] = [];
  private offFinished: () => void;
  private stopped = false;

  private constructor(
    readonly kind: EngineKind,
    readonly bins: EngineBinaries,
    readonly dir: string,
    readonly asterisk: AsteriskInstance | null,
    readonly freeswitch: FreeswitchInstance | null,
    /** FreeSWITCH only: the relay that drops hangup commands for the hangup-fault number. */
    readonly hangupSwallower: EslHangupSwallower | null,
    readonly smsc: SmscSimulator,
    readonly config: Config,
    readonly logger: MemoryLogger,
    service: Service,
  ) {
    this.service = service;
    this.offFinished = this.watch(service);
  }

  static async start(kind: EngineKind, bins: EngineBinaries, dir: string, promptsDir: string): Promise<EngineHarness> {
    mkdirSync(dir, { recursive: true });
    const smsc = new SmscSimulator({ receipts: 'tlv' });
    const smscPort = await smsc.listen();
    const asterisk = kind === 'asterisk' ? await AsteriskInstance.create(bins.asterisk, join(dir, 'asterisk')) : null;
    const freeswitch = kind === 'freeswitch' ? await FreeswitchInstance.create(bins.freeswitch, join(dir, 'freeswitch')) : null;
    await asterisk?.start();
    await freeswitch?.start();
    const hangupSwallower = freeswitch ? await EslHangupSwallower.listen(freeswitch.swallowPort, freeswitch.socketPort) : null;
    const config: Config = configSchema.parse({
      engine: kind,
      database: { path: join(dir, 'callkeeper.db') },
      recordings: { dir: join(dir, 'recordings') },
      prompts: { dir: promptsDir },
      asterisk: asterisk ? { url: asterisk.ariUrl, username: asterisk.ariUsername, password: asterisk.ariPassword } : {},
      freeswitch: freeswitch
        ? { listenPort: freeswitch.socketPort, eslPort: freeswitch.eslPort, password: freeswitch.eslPassword, recordingsDir: freeswitch.recordingsDir }
        : {},
      smpp: { host: '127.0.0.1', port: smscPort, systemId: 'engines', password: 'engines' },
      admin: { port: await freeTcpPort(), token: 'engine-tier-admin' },
      log: { level: 'info' },
    });
    const logger = memoryLogger();
    const service = await startService(config, { logger, transcriber: new ToneTranscriber(), retention: false });
    return new EngineHarness(kind, bins, dir, asterisk, freeswitch, hangupSwallower, smsc, config, logger, service);
  }

  private watch(service: Service): () => void {
    return service.onCallFinished((r) => this.results.push(r));
  }

  /** A new service on the same database and ports (after a shutdown), as systemd would restart it. */
  async restartService(): Promise<void> {
    this.offFinished();
    this.stopped = false;
    this.service = await startService(this.config, { logger: this.logger, transcriber: new ToneTranscriber(), retention: false });
    this.offFinished = this.watch(this.service);
  }

  get db(): SqliteDb {
    return sqliteDbOf(this.service);
  }

  /** The engine and the SMSC are up and the service would take a call. */
  async ready(guardMs = 60_000): Promise<void> {
    await until(() => this.service.readiness.ready(), `the service to be ready on ${this.kind} (readiness ${JSON.stringify(this.service.readiness.snapshot())})`, guardMs, 100);
  }

  addBusiness(name: string, dids: string[], greeting: string): Business {
    return addBusiness(new SqliteBusinessDirectory(this.db), { name, dids, greeting, timezone: 'America/Chicago', consentMode: 'verbal' });
  }

  consent(): SqliteConsentStore {
    return new SqliteConsentStore(this.db);
  }

  call(c: SippCall): Promise<SippResult> {
    const port = this.asterisk?.sipPort ?? this.freeswitch?.sipPort;
    if (port === undefined) throw new Error('no engine');
    return runSippCall({ bin: this.bins.sipp, host: '127.0.0.1', port, workDir: this.dir }, c);
  }

  /** The service's result for the call from this caller to this DID (its row closed), waiting for it. */
  async resultFor(from: string, did: string, guardMs = STATE_GUARD_MS): Promise<CallResult> {
    let found: CallResult | undefined;
    await until(
      () => {
        found = this.results.find((r) => {
          if (r.callId === null) return false;
          const row = sqliteDbOf(this.service).prepare('SELECT caller_raw, caller_e164, did FROM calls WHERE id = ?').get(r.callId) as
            | { caller_raw: string; caller_e164: string | null; did: string }
            | undefined;
          if (!row || row.did.replace(/^\+/, '') !== did.replace(/^\+/, '')) return false;
          return from === 'anonymous' ? row.caller_e164 === null : row.caller_e164 === from;
        });
        return found !== undefined;
      },
      `callkeeper to close the call from the ${from === 'anonymous' ? 'anonymous' : 'test'} caller`,
      guardMs,
      100,
    );
    return found!;
  }

  /** Recordings callkeeper left on the engine's side (it fetches each one and then deletes the engine's copy). */
  engineRecordingsLeft(): string[] {
    const dir = this.asterisk ? join(this.asterisk.dir, 'spool', 'recording') : this.freeswitch!.recordingsDir;
    try {
      return readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.wav'));
    } catch {
      return [];
    }
  }

  ledgerFor(consumer: string): LedgerRow[] {
    return this.db.prepare('SELECT event, method, call_id, transcript FROM consent_ledger WHERE consumer = ? ORDER BY id').all(consumer) as LedgerRow[];
  }

  textsTo(number: string): Array<{ to: string; from: string; text: string }> {
    const digits = number.replace(/^\+/, '');
    return this.smsc.messages().filter((m) => m.to.replace(/^\+/, '') === digits);
  }

  /** Log lines (message and the fields that are not phone numbers) for a failure message. */
  logExcerpt(filter: (r: MemoryLogger['records'][number]) => boolean = () => true, max = 20): string {
    const hidden = new Set(['caller', 'callerIdRaw', 'callerE164', 'consumer', 'to', 'from', 'did', 'dialed', 'transcript', 'text', 'digit']);
    return this.logger.records
      .filter(filter)
      .slice(-max)
      .map((r) => `${r.level} ${r.msg} ${JSON.stringify(Object.fromEntries(Object.entries(r.fields).filter(([k]) => !hidden.has(k))))}`)
      .join('\n');
  }

  /** SIGTERM's path: src/cli/serve-command.ts binds SIGTERM to this same lifecycle shutdown. */
  shutdown(reason = 'SIGTERM'): ReturnType<Service['shutdown']> {
    this.stopped = true;
    return this.service.shutdown(reason);
  }

  async close(): Promise<void> {
    this.offFinished();
    if (!this.stopped) await this.service.shutdown('engine tier finished').catch(() => undefined);
    await this.smsc.close();
    await this.hangupSwallower?.close();
    await this.asterisk?.stop();
    await this.freeswitch?.stop();
  }
}
