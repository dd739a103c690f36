/** The CallEngine contract for the Asterisk adapter, against the ARI simulator on a port-0 socket. */
import { join } from 'node:path';
import { runCallEngineContract, type CallEngineHarness } from './call-engine-contract.ts';
import { startAriPair } from '../telephony/asterisk/ari-test-kit.ts';

// 1 simulated second = 50 real ms: recordings end in tens of ms while a 120 s prompt still gives the
// test 6 real seconds to stop it.
const TIME_SCALE = 0.05;

runCallEngineContract('asterisk (ARI simulator)', async (): Promise<CallEngineHarness> => {
  const pair = await startAriPair({ timeScale: TIME_SCALE });
  return {
    engine: pair.engine,
    placeCall: (call) => pair.sim.placeCall(call),
    prompt: (name, ms) => pair.prompt(name, ms),
    missingPrompt: () => ({ file: join(pair.promptsDir, 'no-such-prompt.wav') }),
    engineRecordings: () => pair.sim.storedRecordingNames(),
    restartPeer: () => pair.sim.restart({ refusedMs: 30, notFoundAttempts: 1, notBootedAttempts: 1 }),
    close: () => pair.close(),
  };
});
