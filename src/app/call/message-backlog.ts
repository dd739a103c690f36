import { createHash } from 'node:crypto';
import type { ConsentOutcome } from '../../domain/notify/staff-notification.ts';
import { errorFields, isAppError } from '../../domain/errors.ts';
import type { AsyncBusinessDirectory, AsyncCallLog } from '../../domain/ports/async-stores.ts';
import type { CallOutcome, PendingTranscript } from '../../domain/ports/call-log.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { Transcriber } from '../../domain/ports/transcriber.ts';
import type { UrgencyDecision } from '../../domain/urgency/urgency-judge.ts';
import { handOff } from './caller-message.ts';
import type { CallRunnerDeps, MessageBacklogHandle, StaffCallSummary } from './call-types.ts';

/** What `/metrics` shows of the backlog (PromMetrics.messageBacklog). */
export interface MessageBacklogMetrics {
  messageBacklog(b: { readonly pending: number; readonly oldestPendingMs: number }): void;
}

export interface MessageBacklogDeps {
  readonly callLog: AsyncCallLog;
  readonly directory: AsyncBusinessDirectory;
  readonly transcriber: Transcriber;
  /**
   * Whether a message may start now without delaying anyone: nobody waiting, and a slot free beside the
   * answer lanes (`BoundedJobQueue.hasIdleSlot`, wired in src/compose/message-backlog-wiring.ts). The
   * backlog submits only then, in the same turn, so its job starts at once and never takes an answer lane.
   */
  readonly recognizerHasRoom: () => boolean;
  /** The message audio by the path on its call row: `missing` when the file is gone, `refused` when it may not be read. */
  readonly readRecording: (path: string) => Promise<Buffer | 'missing' | 'refused'>;
  /** The assessor the call uses (`CallRunnerDeps.assessUrgency`). */
  readonly assessUrgency?: CallRunnerDeps['assessUrgency'];
  /** The staff hook the call uses for a transcript that follows its notice (`CallRunnerDeps.onLateTranscript`). */
  readonly onLateTranscript?: CallRunnerDeps['onLateTranscript'];
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: MessageBacklogMetrics;
}

export interface MessageBacklogOptions {
  /** Tries per message before it is `failed` (each counted on the row before it runs). Default 3. */
  readonly maxAttempts?: number;
  /** How often the backlog looks again when nothing could be done (empty, or no room). Default 5 s. */
  readonly pollMs?: number;
  /** Wait before trying a message again after the recognizer failed on it, times its attempts. Default 30 s. */
  readonly retryMs?: number;
  /**
   * A pending row of a call that ended this long ago is taken even if this process did not leave it: on
   * several nodes (PostgreSQL), another node's message that its node never finished. Default 15 min, far
   * past a message's wait in a full line (64 jobs), so a message still in its own node's line is left alone.
   */
  readonly staleAfterMs?: number;
  /** The oldest pending message older than this is warned about (the product goal: 5 min). Default 5 min. */
  readonly warnAfterMs?: number;
  /** At most one warning this often while behind. Default 60 s. */
  readonly warnEveryMs?: number;
  /** Pending rows read per look (oldest first). Default 200: more than the calls and messages a node holds at once. */
  readonly batch?: number;
  /**
   * The database is shared with other nodes (PostgreSQL): a row from before this start may be another
   * live node's, still in its recognizer's line, so such rows are taken only once stale (closed
   * `staleAfterMs` ago, or never closed and started twice that long ago: its node died mid-call).
   */
  readonly sharedDatabase?: boolean;
}

const DEFAULTS = { maxAttempts: 3, pollMs: 5_000, retryMs: 30_000, staleAfterMs: 15 * 60_000, warnAfterMs: 5 * 60_000, warnEveryMs: 60_000, batch: 200, sharedDatabase: false };

/**
 * Transcribes the messages the calls could not (the recognizer was saturated or failed, or the service
 * stopped first), from their call rows, one at a time, oldest first, when the recognizer has room: the
 * transcript is stored, judged for urgency with the call's assessor and handed to the staff as the late
 * transcript the call's notice promised ("transcript pending"). After `maxAttempts` tries, or when the
 * audio is purged or unreadable, the row is `failed` and the staff are told. Rows taken: those this
 * process's calls left (`release(callId, 'pending')`, once the call row is closed), those of calls that
 * started before `start()` (a previous run), and stale ones (`staleAfterMs`); never one whose call is
 * still transcribing it (`hold`). Why and how: src/speech/README.md, "The message backlog".
 */
export class MessageBacklog implements MessageBacklogHandle {
  readonly #deps: MessageBacklogDeps;
  readonly #opts: typeof DEFAULTS;
  /** Calls of this process still transcribing their own message. */
  readonly #held = new Set<number>();
  /** Calls of this process that left their message pending. */
  readonly #left = new Set<number>();
  /** After a failed try: not before this time (ms). */
  readonly #notBefore = new Map<number, number>();
  #startedAt: number | null = null;
  #stopped = false;
  #loop: Promise<void> = Promise.resolve();
  #wake: (() => void) | null = null;
  #lastWarnAt = -Infinity;

  constructor(deps: MessageBacklogDeps, opts: MessageBacklogOptions = {}) {
    this.#deps = deps;
    this.#opts = { ...DEFAULTS, ...opts };
  }

  /** Starts working; rows of calls that started before now belong to a previous run and are taken too. */
  start(): void {
    if (this.#startedAt !== null) return;
    this.#startedAt = this.#deps.clock.now();
    this.#loop = this.#run();
  }

  /** Stops picking; resolves once the message being transcribed (if any) is stored and handed on. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop;
  }

  hold(callId: number): void {
    this.#held.add(callId);
  }

  release(callId: number, left: 'done' | 'pending'): void {
    this.#held.delete(callId);
    if (left === 'done') return;
    this.#left.add(callId);
    this.#wake?.();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let worked = false;
      try {
        await this.#report();
        if (this.#deps.recognizerHasRoom()) {
          const next = await this.#next();
          if (next !== null) worked = await this.#work(next);
        }
      } catch (err) {
        // A store that fails now may answer later: the rows stay pending.
        this.#deps.logger.error({ err: errorFields(err) }, 'message backlog could not read or write the call log');
      }
      if (!worked) await this.#sleep(this.#opts.pollMs);
    }
  }

  /** Waits `ms` of clock time, or until woken (a message left pending, or stop). */
  #sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        cancel();
        this.#wake = null;
        resolve();
      };
      const cancel = this.#deps.clock.setTimer(ms, done);
      this.#wake = done;
    });
  }

  /** The oldest pending row this backlog may take now, or null. */
  async #next(): Promise<PendingTranscript | null> {
    const now = this.#deps.clock.now();
    const rows = await this.#deps.callLog.pendingTranscripts(this.#opts.batch);
    for (const row of rows) {
      if (this.#held.has(row.callId) || (this.#notBefore.get(row.callId) ?? 0) > now) continue;
      const previousRun = !this.#opts.sharedDatabase && row.startedAt < (this.#startedAt ?? now);
      const closed = row.endedAt !== null;
      // A call of this run is taken once its row is closed, so the staff hear of the call before its transcript.
      const leftHere = this.#left.has(row.callId) && closed;
      const stale = closed
        ? row.endedAt! <= now - this.#opts.staleAfterMs
        : this.#opts.sharedDatabase && row.startedAt <= now - 2 * this.#opts.staleAfterMs && !this.#held.has(row.callId);
      if (previousRun || leftHere || stale) return row;
    }
    return null;
  }

  /** Transcribes one message, or gives up on it; false when it did neither (no room after all). */
  async #work(row: PendingTranscript): Promise<boolean> {
    const log = this.#deps.logger.child({ callId: row.callId });
    if (row.recordingDeletedAt !== null) return this.#giveUp(row, 'recording purged', log);
    // Tries counted by a run that never finished them (the process stopped mid-transcription).
    if (row.attempts >= this.#opts.maxAttempts) return this.#giveUp(row, `transcription did not finish in ${row.attempts} tries`, log);
    let audio: Buffer | 'missing' | 'refused';
    try {
      audio = await this.#deps.readRecording(row.recordingPath);
    } catch (err) {
      log.warn({ err: errorFields(err) }, 'message recording could not be read');
      audio = 'refused';
    }
    if (audio === 'missing') return this.#giveUp(row, 'recording missing', log);
    if (audio === 'refused') return this.#giveUp(row, 'recording unreadable', log);
    if (createHash('sha256').update(audio).digest('hex') !== row.recordingSha256) return this.#giveUp(row, 'recording changed since the call', log);
    // Checked again in the turn that submits: reading the file took time, and a caller may be waiting now.
    if (!this.#deps.recognizerHasRoom()) return false;

    const job = this.#deps.transcriber.transcribe(audio, { purpose: 'message' }).then(
      (t) => ({ text: t.text }),
      (err: unknown) => ({ err }),
    );
    // Counted while it runs, not after: a message that brings the process down still uses up its tries.
    const counting = this.#deps.callLog.countTranscriptAttempt(row.callId);
    counting.catch(() => undefined);
    const result = await job;
    // A store that cannot count throws to the loop (logged): the row stays pending for another look.
    const attempts = await counting;
    if ('err' in result) {
      const err = result.err;
      if (isAppError(err, 'SPEECH.SATURATED')) {
        // Only in a race with the room check; the try is counted all the same, and the row waits a poll.
        log.info({ attempts, err: errorFields(err) }, 'message backlog: the recognizer is saturated, backing off');
        this.#notBefore.set(row.callId, this.#deps.clock.now() + this.#opts.pollMs);
        return true;
      }
      if (attempts >= this.#opts.maxAttempts) return this.#giveUp(row, `transcription failed ${attempts} times`, log, attempts);
      log.warn({ attempts, err: errorFields(err) }, 'message backlog: transcription failed, will try again');
      this.#notBefore.set(row.callId, this.#deps.clock.now() + this.#opts.retryMs * attempts);
      return true;
    }
    const text = result.text;
    await this.#deps.callLog.saveTranscript(row.callId, { transcript: text, summary: null });
    this.#forget(row.callId);
    const business = row.businessId === null ? null : ((await this.#deps.directory.byId(row.businessId)) ?? null);
    const urgency = business === null ? null : await this.#judge(row.callId, business.id, text, log);
    log.info({ attempts, waitedMs: this.#deps.clock.now() - (row.endedAt ?? row.startedAt) }, 'message transcribed by the backlog: staff told');
    handOff(this.#deps.onLateTranscript, this.#summary(row, business, text, urgency), log, 'late-transcript hook failed');
    return true;
  }

  /** Marks the message `failed` (one line, a fixed reason) and tells the staff it could not be made. */
  async #giveUp(row: PendingTranscript, reason: string, log: Logger, attempts = row.attempts): Promise<true> {
    await this.#deps.callLog.markTranscriptFailed(row.callId, reason);
    this.#forget(row.callId);
    log.warn({ reason, attempts }, 'message not transcribed: gave up');
    const business = row.businessId === null ? null : ((await this.#deps.directory.byId(row.businessId)) ?? null);
    handOff(this.#deps.onLateTranscript, { ...this.#summary(row, business, null, null), transcriptStatus: 'failed' }, log, 'late-transcript hook failed');
    return true;
  }

  async #judge(callId: number, businessId: number, transcript: string, log: Logger): Promise<UrgencyDecision | null> {
    if (this.#deps.assessUrgency === undefined) return null;
    try {
      return await this.#deps.assessUrgency({ callId, businessId, transcript });
    } catch (err) {
      log.error({ err: errorFields(err) }, 'urgency could not be judged');
      return null;
    }
  }

  /** The late-transcript summary from the call row: what the call's own notice said is not kept, so `callerWasTold` is null. */
  #summary(row: PendingTranscript, business: { id: number; name: string; timezone: string } | null, transcript: string | null, u: UrgencyDecision | null): StaffCallSummary {
    return {
      business: business === null ? null : { id: business.id, name: business.name, timezone: business.timezone },
      callId: row.callId,
      did: row.did,
      callerE164: row.callerE164,
      endedAt: row.endedAt ?? row.startedAt,
      transcript,
      summary: null,
      consent: consentOf(row.outcome),
      recordingRef: row.recordingPath,
      callerWasTold: null,
      urgency: u === null ? null : { urgent: u.urgent, rule: u.rule, matched: u.matched },
      outcome: row.outcome ?? 'interrupted',
    };
  }

  #forget(callId: number): void {
    this.#left.delete(callId);
    this.#notBefore.delete(callId);
  }

  /** Depth and oldest age to `/metrics`; a warning while the oldest waits past `warnAfterMs`. */
  async #report(): Promise<void> {
    const b = await this.#deps.callLog.transcriptBacklog();
    const now = this.#deps.clock.now();
    const oldestPendingMs = b.oldestStartedAt === null ? 0 : Math.max(0, now - b.oldestStartedAt);
    this.#deps.metrics?.messageBacklog({ pending: b.pending, oldestPendingMs });
    if (oldestPendingMs > this.#opts.warnAfterMs && now - this.#lastWarnAt >= this.#opts.warnEveryMs) {
      this.#lastWarnAt = now;
      this.#deps.logger.warn({ pending: b.pending, oldestPendingMs, warnAfterMs: this.#opts.warnAfterMs }, 'message transcripts are falling behind');
    }
  }
}

/** The consent as the staff read it, from the call row's outcome (the late notice is built from the row). */
function consentOf(outcome: CallOutcome | null): ConsentOutcome {
  switch (outcome) {
    case 'consent-granted':
      return 'granted';
    case 'consent-declined':
      return 'declined';
    case 'consent-unclear':
    case 'consent-unheard':
      return 'unclear';
    case 'implied-texted':
      return 'implied';
    default:
      return 'not-asked';
  }
}
