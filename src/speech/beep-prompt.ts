import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeWav } from '../domain/audio/wav-codec.ts';

/**
 * callkeeper's own record beep: 300 ms of 800 Hz at 8 kHz, the tone FreeSWITCH plays for it
 * (`tone_stream://%(300,0,800)`, src/telephony/freeswitch/README.md). Asterisk's ARI `beep` option plays
 * the `beep` sound file, which a source install without sound packages does not have: the recording
 * then fails and the caller's message is lost (test/telephony/asterisk/ari-own-beep.test.ts). Written
 * once into the prompts folder, which the engine already reads.
 */
const HZ = 800;
const MS = 300;
const RATE = 8000;
/** Half of full scale, with 10 ms ramps so the tone starts and stops without a click. */
const AMPLITUDE = 0.5;
const RAMP_SAMPLES = 80;

export function writeBeepPrompt(dir: string): string {
  const file = resolve(join(dir, `callkeeper-beep-${HZ}hz-${MS}ms-${RATE}.wav`));
  if (existsSync(file)) return file;
  const n = (RATE * MS) / 1000;
  const samples = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const ramp = Math.min(1, i / RAMP_SAMPLES, (n - 1 - i) / RAMP_SAMPLES);
    samples[i] = AMPLITUDE * ramp * Math.sin((2 * Math.PI * HZ * i) / RATE);
  }
  mkdirSync(dir, { recursive: true });
  const part = `${file}.${process.pid}.part`;
  writeFileSync(part, encodeWav({ sampleRate: RATE, samples }));
  renameSync(part, file);
  return file;
}
