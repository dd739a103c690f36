import ari, { type AriClient } from 'ari-client';
import { AppError } from '../../domain/errors.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import { translateAriError } from './ari-error-translator.ts';

// swagger-client 2.0.26 (under ari-client) assigns an implicit global `log` that console.logs every
// message ("This API is using a deprecated version of Swagger!" on each connect) and keeps all of them
// in `log.history` forever: a non-JSON line in the service's log stream and a leak per reconnect.
// It is loaded by the import above; replace it once with a no-op.
(globalThis as { log?: unknown }).log = (): void => undefined;

/**
 * ARI REST through ari-client (the chosen package), with the two things it lacks:
 * - a deadline: ari-client's HTTP layer (swagger-client on shred) never settles a request whose
 *   connection fails (ECONNREFUSED/ECONNRESET: checked against the simulator), so every call races a
 *   timer and an unavailable Asterisk becomes TELEPHONY.ENGINE_UNAVAILABLE;
 * - error translation (ari-error-translator.ts), because it drops HTTP status codes.
 *
 * Note: swagger-client keeps credentials in a process-wide registry, so every ARI client in one
 * process must use the same username and password (one Asterisk per process is our deployment).
 */
export interface AriRestOptions {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /**
   * ARI answers in a few ms on a LAN (traces: under 10 ms on loopback); 5 s without an answer means
   * Asterisk is stuck or the connection died silently.
   */
  readonly requestTimeoutMs?: number;
}

export interface RecordParams {
  readonly name: string;
  readonly maxDurationSeconds: number;
  readonly maxSilenceSeconds: number;
  readonly beep: boolean;
  readonly terminateOn: '#' | 'none';
}

export class AriRest {
  private client: AriClient | null = null;
  private readonly timeoutMs: number;

  constructor(
    private readonly opts: AriRestOptions,
    private readonly clock: Clock,
  ) {
    this.timeoutMs = opts.requestTimeoutMs ?? 5000;
  }

  get loaded(): boolean {
    return this.client !== null;
  }

  /** Loads the Swagger documents and builds the client's methods (needs Asterisk up). */
  async load(): Promise<void> {
    if (this.client) return;
    this.client = await this.deadline('load api-docs', ari.connect(this.opts.url, this.opts.username, this.opts.password));
  }

  answer(channelId: string): Promise<unknown> {
    return this.call('answer', { channelId }, (c) => c.channels.answer({ channelId }));
  }

  play(channelId: string, media: string, playbackId: string): Promise<unknown> {
    return this.call('play', { channelId }, (c) => c.channels.play({ channelId, media, playbackId }));
  }

  stopPlayback(playbackId: string): Promise<unknown> {
    return this.call('stop playback', { playbackId }, (c) => c.playbacks.stop({ playbackId }));
  }

  getPlayback(playbackId: string): Promise<unknown> {
    return this.call('get playback', { playbackId }, (c) => c.playbacks.get({ playbackId }));
  }

  record(channelId: string, p: RecordParams): Promise<unknown> {
    return this.call('record', { channelId }, (c) =>
      c.channels.record({
        channelId,
        name: p.name,
        format: 'wav',
        maxDurationSeconds: p.maxDurationSeconds,
        maxSilenceSeconds: p.maxSilenceSeconds,
        beep: p.beep,
        terminateOn: p.terminateOn,
        // Names are unique per call; overwrite rather than 409 when a retried call reuses one.
        ifExists: 'overwrite',
      }),
    );
  }

  stopRecording(recordingName: string): Promise<unknown> {
    return this.call('stop recording', { recordingName }, (c) => c.recordings.stop({ recordingName }));
  }

  getLiveRecording(recordingName: string): Promise<unknown> {
    return this.call('get live recording', { recordingName }, (c) => c.recordings.getLive({ recordingName }));
  }

  async getStoredFile(recordingName: string): Promise<Buffer> {
    const data = await this.call('get stored recording', { recordingName }, (c) => c.recordings.getStoredFile({ recordingName }));
    return Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
  }

  deleteStored(recordingName: string): Promise<unknown> {
    return this.call('delete stored recording', { recordingName }, (c) => c.recordings.deleteStored({ recordingName }));
  }

  /** `POST /channels/{id}/variable`: also writes dialplan functions such as `TALK_DETECT(set)`. */
  setChannelVar(channelId: string, variable: string, value: string): Promise<unknown> {
    return this.call('set channel variable', { channelId, variable }, (c) => c.channels.setChannelVar({ channelId, variable, value }));
  }

  hangup(channelId: string): Promise<unknown> {
    return this.call('hangup', { channelId }, (c) => c.channels.hangup({ channelId }));
  }

  /** `POST /channels/{id}/variable` (setChannelVar): the dialplan reads it once the channel continues. */
  setVariable(channelId: string, variable: string, value: string): Promise<unknown> {
    return this.call('set variable', { channelId, variable }, (c) => c.channels.setChannelVar({ channelId, variable, value }));
  }

  /** `POST /channels/{id}/continue` (continueInDialplan) with no target: the priority after `Stasis()`. */
  continueInDialplan(channelId: string): Promise<unknown> {
    return this.call('continue', { channelId }, (c) => c.channels.continueInDialplan({ channelId }));
  }

  /** `GET /applications/{name}`: `channel_ids` lists the channels in the app (traces 08a: also while no websocket is connected). */
  getApplication(applicationName: string): Promise<unknown> {
    return this.call('get application', { applicationName }, (c) => c.applications.get({ applicationName }));
  }

  getChannel(channelId: string): Promise<unknown> {
    return this.call('get channel', { channelId }, (c) => c.channels.get({ channelId }));
  }

  private async call<T>(operation: string, details: Record<string, unknown>, fn: (c: AriClient) => PromiseLike<T>): Promise<T> {
    const c = this.client;
    if (!c) throw new AppError('TELEPHONY.ENGINE_UNAVAILABLE', `ARI ${operation}: not connected`, { retryable: true, details });
    try {
      return await this.deadline(operation, fn(c));
    } catch (err) {
      throw translateAriError(err, operation, details);
    }
  }

  private deadline<T>(operation: string, p: PromiseLike<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cancel = this.clock.setTimer(this.timeoutMs, () =>
        reject(new AppError('TELEPHONY.ENGINE_UNAVAILABLE', `ARI ${operation}: no answer in time`, { retryable: true, details: { timeoutMs: this.timeoutMs } })),
      );
      Promise.resolve(p).then(
        (v) => {
          cancel();
          resolve(v);
        },
        (e: unknown) => {
          cancel();
          reject(translateAriError(e, operation));
        },
      );
    });
  }
}
