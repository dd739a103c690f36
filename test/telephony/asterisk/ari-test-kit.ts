/** Shared set-up for the Asterisk adapter tests: a simulator, an engine wired to it, a logger and a clock. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../src/domain/ports/clock.ts';
import type { Logger } from '../../../src/domain/ports/logger.ts';
import type { PromptRef } from '../../../src/domain/ports/call-engine.ts';
import { AriSimulator, type AriSimulatorOptions } from '../../../src/sim/ari/ari-simulator.ts';
import { callPcmToWav, samplesForMs } from '../../../src/sim/sim-wav.ts';
import { AriCallEngine, type AriEngineDeps } from '../../../src/telephony/asterisk/ari-call-engine.ts';
import { writeBeepPrompt } from '../../../src/speech/beep-prompt.ts';

export interface LogLine {
  readonly level: string;
  readonly fields: Record<string, unknown>;
  readonly msg: string;
}

/** Keeps log lines in memory, so tests can check that no phone number reaches a message string. */
export function memoryLogger(lines: LogLine[] = [], bindings: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) => lines.push({ level, fields: { ...bindings, ...fields }, msg });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (b) => memoryLogger(lines, { ...bindings, ...b }) };
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

/**
 * Short backoff so reconnect tests run in milliseconds; the ping is off (60 s) for test runs. The request
 * timeout is a guard no test exercises: at 2 s, 100 concurrent calls (ari-many-calls) beside another
 * test file on a loaded 2-core machine had an `answer` time out, so it is 15 s.
 */
export const fastTuning: NonNullable<AriEngineDeps['tuning']> = { initialBackoffMs: 10, maxBackoffMs: 100, requestTimeoutMs: 15_000, pingIntervalMs: 60_000 };

export interface AriPair {
  readonly sim: AriSimulator;
  readonly engine: AriCallEngine;
  readonly logs: LogLine[];
  readonly promptsDir: string;
  prompt(name: string, durationMs: number): Promise<PromptRef>;
  close(): Promise<void>;
}

/** `ownBeep`: the engine gets callkeeper's own beep prompt, as the composition root gives it. */
export async function startAriPair(simOpts: AriSimulatorOptions = {}, opts: { ownBeep?: boolean } = {}): Promise<AriPair> {
  const sim = await AriSimulator.start({ username: 'callkeeper', password: 'secret', ...simOpts });
  const promptsDir = await mkdtemp(join(tmpdir(), 'ck-ari-prompts-'));
  const logs: LogLine[] = [];
  const beep = opts.ownBeep ? { beepPrompt: { file: writeBeepPrompt(promptsDir) } } : {};
  const engine = new AriCallEngine(
    { url: sim.url, username: 'callkeeper', password: 'secret', app: 'callkeeper', promptsDir, ...beep },
    { logger: memoryLogger(logs), clock: systemClock, tuning: fastTuning },
  );
  return {
    sim,
    engine,
    logs,
    promptsDir,
    async prompt(name, durationMs) {
      const file = join(promptsDir, `${name}.wav`);
      // Silence is enough: the simulator only reads a prompt's length.
      await writeFile(file, callPcmToWav(new Int16Array(samplesForMs(durationMs))));
      return { file };
    },
    async close() {
      await engine.stop();
      await sim.close();
      await rm(promptsDir, { recursive: true, force: true });
    },
  };
}
