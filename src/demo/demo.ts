import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { addBusiness } from '../app/business/add-business.ts';
import { sendTemplate } from '../app/messaging/send-template.ts';
import { createSystemClock } from '../app/system-clock.ts';
import { sqliteServeStores } from '../compose/serve-stores.ts';
import { sendingRules } from '../compose/sms-settings.ts';
import { configSchema, type Config } from '../config/config-schema.ts';
import type { ConsentEvent } from '../domain/consent.ts';
import { createLogger } from '../log/pino-logger-factory.ts';
import { sqliteDbOf, startService } from '../main.ts';
import { AriSimulator } from '../sim/ari/ari-simulator.ts';
import type { ScriptedCall } from '../sim/caller-script.ts';
import { EslSim } from '../sim/esl/esl-sim.ts';
import { SmscSimulator } from '../sim/smsc/smsc-simulator.ts';
import { createSynthesizer } from '../speech/speech-factory.ts';
import { SqliteBusinessDirectory } from '../store/sqlite-business-directory.ts';
import { SqliteConsentStore } from '../store/sqlite-consent-store.ts';

/**
 * `callkeeper demo`: the whole chain on this machine with no Asterisk and no gateway. It starts
 * the ARI simulator (or the ESL peer) and an in-process SMSC, runs the real service against them, places
 * one call whose caller speaks real synthesized audio, and prints what happened: transcript, decision,
 * ledger record, the text exactly as the SMSC received it, then a STOP reply and its effect.
 */
export interface DemoOptions {
  readonly out: Writable;
  readonly engine: 'asterisk' | 'freeswitch';
  /** What the caller says after the tone, and when asked for consent. */
  readonly message: string;
  readonly answer: string;
  readonly whisperModel?: string | undefined;
  readonly keep?: boolean;
}

export interface DemoReport {
  readonly transcript: string | null;
  readonly decision: string | null;
  readonly ledger: ConsentEvent[];
  readonly texts: Array<{ to: string; from: string; text: string }>;
  readonly afterStop: { consent: string; textsAfterStop: number; confirmation: string | null };
}

const BUSINESS = { name: 'Acme Plumbing', did: '+15125550100' };
const CALLER = '+15125550199';
/** The simulated engine plays prompts 20x faster than real time, so the demo takes seconds, not a minute. */
const DEMO_TIME_SCALE = 0.05;

export async function runDemo(opts: DemoOptions): Promise<DemoReport> {
  const w = (line = ''): void => void opts.out.write(`${line}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'callkeeper-demo-'));
  const smsc = new SmscSimulator({ receipts: 'tlv' });
  const smscPort = await smsc.listen();
  const ari = opts.engine === 'asterisk' ? await AriSimulator.start({ timeScale: DEMO_TIME_SCALE, username: 'callkeeper', password: 'demo', app: 'callkeeper' }) : null;
  const esl = opts.engine === 'freeswitch' ? new EslSim({ timeScale: DEMO_TIME_SCALE }) : null;
  if (esl) await esl.start();

  const config: Config = configSchema.parse({
    engine: opts.engine,
    database: { path: join(dir, 'callkeeper.db') },
    recordings: { dir: join(dir, 'recordings') },
    prompts: { dir: join(dir, 'prompts') },
    asterisk: { url: ari?.url ?? 'http://127.0.0.1:1', username: 'callkeeper', password: 'demo' },
    freeswitch: { listenPort: 0, recordingsDir: join(dir, 'fs-recordings') },
    smpp: { host: '127.0.0.1', port: smscPort, systemId: 'demo', password: 'demo' },
    speech: { engine: opts.whisperModel ? 'whisper' : 'pocketsphinx', ...(opts.whisperModel ? { whisperModel: opts.whisperModel } : {}) },
    admin: { port: 0 },
    log: { level: 'warn' },
  });
  const logFile = join(dir, 'service.log');
  const { default: pino } = await import('pino');
  const logger = createLogger(config.log, { destination: pino.destination({ dest: logFile, sync: true }) });

  const service = await startService(config, { logger, retention: false });
  try {
    if (esl) esl.setOutbound(() => (service.engine as unknown as { listeningAddress(): { host: string; port: number } }).listeningAddress());
    const directory = new SqliteBusinessDirectory(sqliteDbOf(service));
    const business = addBusiness(directory, {
      name: BUSINESS.name,
      dids: [BUSINESS.did],
      timezone: 'America/Chicago',
      consentMode: 'verbal',
    });
    w(`callkeeper demo: ${opts.engine === 'asterisk' ? 'Asterisk (ARI simulator)' : 'FreeSWITCH (ESL peer)'} + in-process SMSC`);
    w(`recognizer: ${service.transcriber.engine}${opts.whisperModel ? ` (${opts.whisperModel})` : ' (no Whisper model configured: PocketSphinx fallback)'}`);
    w(`business #${business.id} "${business.name}" on ${BUSINESS.did}, verbal consent`);
    w();

    // What an installer's SIGHUP does after `business add`: the new business's prompts are made now.
    await service.warmPrompts();
    await waitFor(() => service.readiness.ready(), 15_000, 'the simulated engine and SMSC to come up');

    const voice = createSynthesizer({ dir: join(dir, 'caller-voice'), synthesizer: 'auto', voice: 'en-us' });
    const messageWav = readFileSync((await voice.synthesize(opts.message, { sampleRate: 8000 })).file);
    const answerWav = readFileSync((await voice.synthesize(opts.answer, { sampleRate: 8000 })).file);
    w(`caller ${CALLER} calls ${BUSINESS.did}; nobody answers; callkeeper takes the call`);
    w(`  caller says (message): "${opts.message}"`);
    w(`  caller says (consent answer, and again if asked again): "${opts.answer}"`);

    const finished = new Promise<Awaited<ReturnType<typeof service.runner.run>>>((resolve) => {
      const off = service.onCallFinished((r) => {
        off();
        resolve(r);
      });
    });
    // A caller asked again (an unclear first answer) answers again, as a person would.
    const call: ScriptedCall = { caller: CALLER, dialed: BUSINESS.did.slice(1), says: [messageWav, answerWav, answerWav] };
    if (ari) ari.placeCall(call);
    else esl?.placeCall(call);
    const result = await finished;

    const consent = new SqliteConsentStore(sqliteDbOf(service));
    const ledger = consent.history(CALLER, business.id);
    const lastDecision = ledger.at(-1) ?? null;
    w();
    w(`1. transcript of the message${service.transcriber.engine === 'pocketsphinx' ? ' (PocketSphinx on synthetic speech: approximate at best; a Whisper model hears it properly)' : ''}`);
    w(`   "${result.messageTranscript ?? '(none)'}"`);
    w('2. consent decision');
    w(`   ${result.decision ?? 'not asked'} (call outcome: ${result.outcome}${result.decisionLatencyMs !== null ? `, decided ${result.decisionLatencyMs} ms after the answer` : ''})`);
    w('3. ledger record');
    if (lastDecision) {
      w(`   #${lastDecision.id} ${lastDecision.event} via ${lastDecision.method}, script ${lastDecision.scriptVersion ?? '-'}`);
      w(`   answer transcript: "${lastDecision.transcript ?? ''}"`);
      w(`   answer audio: ${lastDecision.audioPath ?? '-'} sha256 ${lastDecision.audioSha256 ?? '-'}`);
      w(`   chain: prev ${lastDecision.prevHash.slice(0, 16)}… hash ${lastDecision.hash.slice(0, 16)}…`);
    } else {
      w('   (no consent event: nothing may be texted)');
    }

    await waitFor(() => smsc.messages().length > 0 || result.decision !== 'granted', 15_000, 'the first text at the SMSC');
    const texts = smsc.messages().map((m) => ({ to: m.to, from: m.from, text: m.text }));
    w('4. text as the SMSC received it');
    if (texts.length === 0) w('   (none: no consent, no text)');
    for (const t of texts) w(`   from ${t.from} to ${t.to}: "${t.text}"`);

    const before = smsc.messages().length;
    smsc.deliver({ from: CALLER.slice(1), to: BUSINESS.did.slice(1), text: 'Stop' });
    await waitFor(() => consent.current(business.id, CALLER) === 'revoked', 10_000, 'the STOP to be recorded');
    await waitFor(() => smsc.messages().length > before, 10_000, 'the STOP confirmation');
    const confirmation = smsc.messages()[before]?.text ?? null;
    // A follow-up attempted after the STOP is refused by the sending rules and never reaches the SMSC.
    let followUp: string;
    try {
      const clock = createSystemClock();
      const stores = sqliteServeStores(sqliteDbOf(service), { clock, consent });
      await sendTemplate(
        { outbox: stores.outbox, rules: sendingRules(config.messaging), businesses: stores.businesses, consent: stores.consent, clock },
        { businessId: business.id, to: CALLER, template: 'complete' },
      );
      followUp = 'queued (this would be a bug)';
    } catch (e) {
      followUp = `refused: ${(e as Error).message}`;
    }
    await new Promise((r) => setTimeout(r, 300));
    const afterStop = { consent: consent.current(business.id, CALLER), textsAfterStop: smsc.messages().length - before - 1, confirmation };
    w('5. the caller replies "Stop"');
    w(`   ledger: ${consent.latest(business.id, CALLER)?.event ?? '-'} via ${consent.latest(business.id, CALLER)?.method ?? '-'}; current consent: ${afterStop.consent}`);
    w(`   confirmation texted: "${confirmation ?? '(none)'}"`);
    w(`   a follow-up tried after STOP: ${followUp}; texts sent after the confirmation: ${afterStop.textsAfterStop}`);
    w();
    w(`files kept in ${dir}${opts.keep ? '' : ' (removed on exit; --keep to keep them)'}`);
    return { transcript: result.messageTranscript, decision: result.decision, ledger: consent.history(CALLER, business.id), texts, afterStop };
  } finally {
    await service.shutdown('demo finished');
    await smsc.close();
    await ari?.close();
    await esl?.stop();
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`demo: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
