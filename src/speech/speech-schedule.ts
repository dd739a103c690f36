/** How many threads each transcription gets and how many run at once. */
export interface SpeechSchedule {
  readonly threads: number;
  /** Transcriptions of any kind at once (messages and answers). */
  readonly concurrency: number;
  /** More transcriptions only consent answers may use. */
  readonly answerLanes: number;
}

/**
 * The recognizer's schedule from the core count, each part overridable (config `speech.threads`,
 * `speech.jobs`). One thread per transcription: ggml's worker threads spin while they wait for each
 * other, so on cores shared with anything else two threads were 2.4-9x slower than one, and one thread
 * kept a 1.6 s answer within its goal on a quiet machine too (src/speech/README.md, "Scheduling", with
 * the `npm run bench:speech` figures). As many transcriptions as cores, one of them a lane only answers
 * may take, so an answer never waits behind a running message; on one core the lane is an extra job
 * (the answer then shares the core instead of waiting for a whole message).
 */
export function speechSchedule(
  cores: number,
  opts: { readonly threads?: number | undefined; readonly concurrency?: number | undefined; readonly answerLanes?: number | undefined } = {},
  /**
   * The most jobs the engine can really run at once. Whisper's jobs run on libuv's thread pool (4 threads
   * unless UV_THREADPOOL_SIZE says otherwise), shared with file I/O: more jobs than pool threads would
   * queue an answer inside libuv behind messages, where the lane cannot help. So by default at most 3.
   */
  maxJobs = Infinity,
): SpeechSchedule {
  const threads = Math.max(1, opts.threads ?? 1);
  const answerLanes = Math.max(0, opts.answerLanes ?? 1);
  const fit = Math.max(1, Math.min(maxJobs, Math.floor(Math.max(1, cores) / threads)));
  const concurrency = Math.max(1, opts.concurrency ?? fit - answerLanes);
  return { threads, concurrency, answerLanes };
}
