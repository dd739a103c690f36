import type { Metrics } from '../domain/ports/metrics.ts';
import type { Transcriber } from '../domain/ports/transcriber.ts';

/** Reports each transcription's time and the recognizer's waiting line to `/metrics`. */
export function withTranscriptionMetrics(inner: Transcriber, metrics: Metrics): Transcriber {
  const queue = (inner as { queue?: { depth: number } }).queue;
  return {
    engine: inner.engine,
    async transcribe(wav, opts) {
      const t = await inner.transcribe(wav, opts);
      metrics.transcription(opts.purpose, t.elapsedMs, queue?.depth ?? 0);
      return t;
    },
    close: () => inner.close(),
  };
}
