/**
 * One `serve` node as a process of its own, for the several-nodes proofs (two-nodes-postgres.test.ts,
 * through two-node-harness.ts). It runs what `callkeeper serve` runs (src/cli/serve-actions.ts: the config
 * file through the loader, `startService`, SIGTERM/SIGINT through `bindProcessSignals`) with one
 * difference the CLI cannot be given: the recognizer is `ToneTranscriber` (tone-speech.ts says why: the
 * simulators carry tones, not speech). A process of its own, so `kill -9` is a real crash of one node.
 *
 * argv: the config file (JSON, which the YAML loader reads). The environment is not read for overrides.
 * stdout: one JSON line per event, for the harness:
 *   {"event":"ready","esl":{host,port}|null,"admin":{host,port}}   every dependency up (`readiness.ready()`), prompts warmed; the admin port (the console)
 *   {"event":"call","callId":N,"outcome":"…"}  a call's row was closed
 * stderr: the service's own log (pino JSON lines at the configured level).
 */
import { bindProcessSignals } from '../../src/app/lifecycle/process-signals.ts';
import { loadConfig } from '../../src/config/config-loader.ts';
import { createLogger } from '../../src/log/pino-logger-factory.ts';
import { startService } from '../../src/main.ts';
import { EslCallEngine } from '../../src/telephony/freeswitch/esl-call-engine.ts';
import { waitFor } from '../support/wait-for.ts';
import { ToneTranscriber } from './tone-speech.ts';

/** Start to every dependency up on a loaded 2-core box: the bind, the engine link, the prompts. */
const READY_GUARD_MS = 120_000;

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: serve-node-child.ts CONFIG_FILE\n');
  process.exit(2);
}
const say = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

const { config } = loadConfig({ file, env: {} });
const logger = createLogger(config.log, { bindings: { component: 'serve' }, destination: process.stderr });
const service = await startService(config, { logger, transcriber: new ToneTranscriber(), retention: false });
const done = new Promise<number>((resolve) => {
  bindProcessSignals(service.lifecycle, { on: (s, h) => process.on(s, h), off: (s, h) => process.off(s, h), exit: resolve, logger });
});
service.onCallFinished((r) => say({ event: 'call', callId: r.callId, outcome: r.outcome }));
await service.warmPrompts();
await waitFor(() => service.readiness.ready(), { timeoutMs: READY_GUARD_MS, what: 'every dependency of the node to be up' });
const engine = service.engine;
say({ event: 'ready', esl: engine instanceof EslCallEngine ? engine.listeningAddress() : null, admin: service.admin });
process.exit(await done);
