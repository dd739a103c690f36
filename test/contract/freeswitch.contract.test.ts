/**
 * The CallEngine contract for the FreeSWITCH adapter, against the ESL simulator on port-0 sockets:
 * FreeSWITCH connects to the adapter's outbound listener per call, and the adapter keeps an inbound
 * (8021-style) connection for liveness, which is what goes down and up when the peer restarts.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSystemClock } from '../../src/app/system-clock.ts';
import type { Logger } from '../../src/domain/ports/logger.ts';
import { EslSim } from '../../src/sim/esl/esl-sim.ts';
import { toneWav } from '../../src/sim/sim-wav.ts';
import { EslCallEngine } from '../../src/telephony/freeswitch/esl-call-engine.ts';
import { runCallEngineContract, type CallEngineHarness } from './call-engine-contract.ts';

// 1 simulated second = 50 real ms, as for the ARI simulator: recordings end in tens of ms while a
// 120 s prompt still gives the test 6 real seconds to stop it.
const TIME_SCALE = 0.05;

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
};

runCallEngineContract('freeswitch (ESL simulator)', async (): Promise<CallEngineHarness> => {
  const dir = mkdtempSync(join(tmpdir(), 'ck-esl-contract-'));
  // FreeSWITCH is told one directory and the adapter reads another, as with a mounted share.
  const fsView = '/var/lib/freeswitch/recordings/callkeeper';
  const mount = join(dir, 'recordings');
  const sim = new EslSim({ timeScale: TIME_SCALE, recordingPath: (p) => join(mount, p.slice(fsView.length)) });
  await sim.start();
  const inbound = sim.inboundAddress();
  const engine = new EslCallEngine({
    listenHost: '127.0.0.1',
    listenPort: 0,
    recordingsDir: fsView,
    localRecordingsDir: mount,
    inbound: { host: inbound.host, port: inbound.port, password: sim.password },
    logger: silent,
    clock: createSystemClock(),
    reconnectInitialMs: 20,
    reconnectMaxMs: 200,
  });
  sim.setOutbound(() => engine.listeningAddress());
  return {
    engine,
    placeCall: (call) => sim.placeCall(call),
    prompt: async (name, ms) => {
      const file = join(dir, `${name}.wav`);
      writeFileSync(file, toneWav(ms, 440));
      return { file };
    },
    missingPrompt: () => ({ file: join(dir, 'no-such-prompt.wav') }),
    engineRecordings: () => (existsSync(mount) ? readdirSync(mount) : []),
    restartPeer: () => sim.restart({ downMs: 30 }),
    close: async () => {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
