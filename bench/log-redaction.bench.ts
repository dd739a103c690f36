/**
 * What redaction by path costs per log line: the product logger (90 redact paths plus the
 * message scrubber) against the same pino logger without them, writing a typical call-event line into a
 * discarding stream. Prints one JSON line. N=200000 node --import tsx bench/log-redaction.bench.ts
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createLogger } from '../src/log/pino-logger-factory.ts';
import type { Logger } from '../src/domain/ports/logger.ts';

const N = Number(process.env.N ?? 100_000);
const sink = (): Writable => new Writable({ write: (_c, _e, cb) => cb() });
const fields = {
  callId: 1234,
  did: '+15125550100',
  caller: '+15125550123',
  state: 'asking-consent',
  transcript: 'yes please text me',
  call: { caller: '+15125550123', durationMs: 48_000 },
};

function time(log: Logger): number {
  for (let i = 0; i < 2_000; i++) log.info(fields, 'consent decided');
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) log.info(fields, 'consent decided');
  return Number(process.hrtime.bigint() - t0) / N;
}

const plain = time(pino({ level: 'info' }, sink()) as unknown as Logger);
const product = time(createLogger({ level: 'info' }, { destination: sink() }));
process.stdout.write(
  `${JSON.stringify({ bench: 'log-redaction', lines: N, plainNsPerLine: Math.round(plain), redactedNsPerLine: Math.round(product), ratio: +(product / plain).toFixed(2) })}\n`,
);
