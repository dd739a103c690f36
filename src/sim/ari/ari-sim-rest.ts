import { randomUUID } from 'node:crypto';
import type { AriJson } from './ari-sim-events.ts';
import type { SimChannel } from './ari-sim-channel.ts';

/** The simulated Asterisk state the REST routes act on. */
export interface AriSimState {
  channel(id: string): SimChannel | undefined;
  channelList(): SimChannel[];
  playbackOwner(id: string): SimChannel | undefined;
  liveRecordingOwner(name: string): SimChannel | undefined;
  stored(name: string): Buffer | undefined;
  storedNames(): string[];
  deleteStored(name: string): boolean;
  apps(): { name: string; channelIds: string[] }[];
  apiDoc(name: string, host: string): AriJson | null;
  info(): AriJson;
  ping(): AriJson;
}

export interface RestRequest {
  readonly method: string;
  /** Path after `/ari`. */
  readonly path: string;
  /** Query parameters merged with a JSON body: Asterisk treats both alike (traces 05). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly host: string;
}

export interface RestResponse {
  readonly status: number;
  readonly json?: unknown;
  readonly binary?: { readonly contentType: string; readonly data: Buffer };
  readonly headers?: Readonly<Record<string, string>>;
  /** Work done after the response is written (events Asterisk sends after its 204). */
  readonly after?: () => void;
}

type Handler = (s: AriSimState, req: RestRequest, m: string[]) => RestResponse;

const msg = (status: number, message: string): RestResponse => ({ status, json: { message } });
const noContent: RestResponse = { status: 204 };

/** Formats `POST record` accepts; anything else is 422 (traces 05). We always write WAV audio. */
const KNOWN_FORMATS = new Set(['wav', 'wav16', 'gsm', 'ulaw', 'alaw', 'sln', 'g722', 'g729', 'ilbc', 'ogg']);
const HANGUP_REASONS = new Set([
  'normal', 'busy', 'congestion', 'no_answer', 'timeout', 'rejected', 'unallocated', 'normal_unspecified',
  'number_incomplete', 'codec_mismatch', 'interworking', 'failure', 'answered_elsewhere',
]);

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

function int(v: unknown, fallback: number): number {
  const s = str(v);
  return s === undefined ? fallback : Number.parseInt(s, 10);
}

function withChannel(fn: (s: AriSimState, req: RestRequest, ch: SimChannel, m: string[]) => RestResponse): Handler {
  return (s, req, m) => {
    const ch = s.channel(decodeURIComponent(m[1] ?? ''));
    if (!ch || ch.ended) return msg(404, 'Channel not found');
    return fn(s, req, ch, m);
  };
}

function play(req: RestRequest, ch: SimChannel, playbackId: string | undefined): RestResponse {
  const media = str(req.params['media']);
  // A missing media parameter is a 500, not a 400 (test/fixtures/asterisk/traces/README.md, point 6).
  if (!media) return msg(500, 'Failed to queue media for playback');
  if (int(req.params['skipms'], 0) < 0) return msg(400, 'skipms cannot be negative');
  const id = playbackId ?? str(req.params['playbackId']) ?? randomUUID();
  const body = ch.play(id, media.split(','));
  return { status: 201, json: body, headers: { Location: `/ari/playbacks/${id}` } };
}

function record(s: AriSimState, req: RestRequest, ch: SimChannel): RestResponse {
  const name = str(req.params['name']);
  const format = str(req.params['format']);
  if (!name || !format) return msg(500, 'Error parsing request');
  if (!KNOWN_FORMATS.has(format)) return msg(422, 'specified format is unknown on this system');
  const maxDurationS = int(req.params['maxDurationSeconds'], 0);
  const maxSilenceS = int(req.params['maxSilenceSeconds'], 0);
  if (maxDurationS < 0) return msg(400, 'max_duration_seconds cannot be negative');
  if (maxSilenceS < 0) return msg(400, 'max_silence_seconds cannot be negative');
  const terminateOn = str(req.params['terminateOn']) ?? 'none';
  if (!/^(none|any|[0-9*#]+)$/.test(terminateOn)) return msg(400, 'terminateOn invalid');
  const ifExists = str(req.params['ifExists']) ?? 'fail';
  if (!['fail', 'overwrite', 'append'].includes(ifExists)) return msg(400, 'ifExists invalid');
  if (name.includes('..') || name.startsWith('/')) return msg(400, 'Recording name invalid');
  if (ifExists === 'fail' && (s.stored(name) || s.liveRecordingOwner(name))) {
    return msg(409, `Recording '${name}' already exists and can not be overwritten`);
  }
  if (ch.isRecording()) return msg(409, 'Channel is already being recorded');
  const body = ch.record({ name, format, maxDurationS, maxSilenceS, terminateOn });
  return { status: 201, json: body, headers: { Location: `/ari/recordings/live/${name}` } };
}

/**
 * POST variable: only the TALK_DETECT function does anything here (func_talkdetect.c); other
 * variables are accepted and forgotten. A function write that fails is a 500 in the simulator; the
 * traces hold no failing function write (05 has only the missing name, 400, as for GET).
 */
function setVariable(req: RestRequest, ch: SimChannel): RestResponse {
  const variable = str(req.params['variable']);
  if (!variable) return msg(400, 'Variable name is required');
  const value = str(req.params['value']) ?? '';
  const m = /^TALK_DETECT\((set|remove)\)$/i.exec(variable);
  if (m) {
    const ok = m[1]!.toLowerCase() === 'set' ? ch.setTalkDetect(value) : ch.removeTalkDetect();
    if (!ok) return msg(500, 'Failed to execute function');
    return noContent;
  }
  // A plain variable: the 204 comes before its ChannelVarset event.
  return { status: 204, after: () => ch.setVariable(variable, value) };
}

const routes: [string, RegExp, Handler][] = [
  ['GET', /^\/api-docs\/([A-Za-z]+)\.json$/, (s, req, m) => {
    const doc = s.apiDoc(m[1] ?? '', req.host);
    return doc ? { status: 200, json: doc } : msg(404, 'Resource not found');
  }],
  ['GET', /^\/asterisk\/ping$/, (s) => ({ status: 200, json: s.ping() })],
  ['GET', /^\/asterisk\/info$/, (s) => ({ status: 200, json: s.info() })],
  ['GET', /^\/applications$/, (s) => ({ status: 200, json: s.apps().map(appJson) })],
  ['GET', /^\/applications\/([^/]+)$/, (s, _r, m) => {
    const app = s.apps().find((a) => a.name === decodeURIComponent(m[1] ?? ''));
    return app ? { status: 200, json: appJson(app) } : msg(404, 'Application not found');
  }],
  ['GET', /^\/channels$/, (s) => ({ status: 200, json: s.channelList().map((c) => c.json()) })],
  ['GET', /^\/channels\/([^/]+)$/, withChannel((_s, _r, ch) => ({ status: 200, json: ch.json() }))],
  ['DELETE', /^\/channels\/([^/]+)$/, withChannel((_s, req, ch) => {
    const reason = str(req.params['reason']);
    if (reason !== undefined && !HANGUP_REASONS.has(reason)) return msg(400, 'Invalid reason for hangup reason provided');
    return { status: 204, after: () => ch.hangup('app') };
  })],
  ['POST', /^\/channels\/([^/]+)\/answer$/, withChannel((_s, _r, ch) => {
    ch.answer();
    return noContent;
  })],
  ['POST', /^\/channels\/([^/]+)\/ring$/, withChannel(() => noContent)],
  ['POST', /^\/channels\/([^/]+)\/variable$/, withChannel((_s, req, ch) => setVariable(req, ch))],
  ['GET', /^\/channels\/([^/]+)\/variable$/, withChannel((_s, req, ch) => {
    const variable = str(req.params['variable']);
    if (!variable) return msg(400, 'Variable name is required');
    const value = ch.variable(variable);
    return value === undefined ? msg(404, 'Provided variable was not found') : { status: 200, json: { value } };
  })],
  // No target: the priority after Stasis(). StasisEnd follows the 204, as for DELETE.
  ['POST', /^\/channels\/([^/]+)\/continue$/, withChannel((_s, _r, ch) => ({ status: 204, after: () => ch.continueInDialplan() }))],
  ['POST', /^\/channels\/([^/]+)\/play$/, withChannel((_s, req, ch) => play(req, ch, undefined))],
  ['POST', /^\/channels\/([^/]+)\/play\/([^/]+)$/, withChannel((_s, req, ch, m) => play(req, ch, decodeURIComponent(m[2] ?? '')))],
  ['POST', /^\/channels\/([^/]+)\/record$/, withChannel((s, req, ch) => record(s, req, ch))],
  ['GET', /^\/playbacks\/([^/]+)$/, (s, _r, m) => {
    const id = decodeURIComponent(m[1] ?? '');
    const json = s.playbackOwner(id)?.playbackJson(id);
    return json ? { status: 200, json } : msg(404, 'Playback not found');
  }],
  ['DELETE', /^\/playbacks\/([^/]+)$/, (s, _r, m) => {
    const id = decodeURIComponent(m[1] ?? '');
    const owner = s.playbackOwner(id);
    // The 204 goes out before the PlaybackFinished it causes (traces 05).
    return owner ? { status: 204, after: () => owner.stopPlayback(id) } : msg(404, 'Playback not found');
  }],
  ['GET', /^\/recordings\/live\/([^/]+)$/, (s, _r, m) => {
    const name = decodeURIComponent(m[1] ?? '');
    const json = s.liveRecordingOwner(name)?.liveRecordingJson(name);
    return json ? { status: 200, json } : msg(404, 'Recording not found');
  }],
  ['POST', /^\/recordings\/live\/([^/]+)\/stop$/, (s, _r, m) => {
    const name = decodeURIComponent(m[1] ?? '');
    const owner = s.liveRecordingOwner(name);
    return owner ? { status: 204, after: () => owner.stopRecording(name, false) } : msg(404, 'Recording not found');
  }],
  ['DELETE', /^\/recordings\/live\/([^/]+)$/, (s, _r, m) => {
    const name = decodeURIComponent(m[1] ?? '');
    const owner = s.liveRecordingOwner(name);
    return owner ? { status: 204, after: () => owner.stopRecording(name, true) } : msg(404, 'Recording not found');
  }],
  ['GET', /^\/recordings\/stored$/, (s) => ({ status: 200, json: s.storedNames().map((name) => ({ name, format: 'wav' })) })],
  ['GET', /^\/recordings\/stored\/([^/]+)$/, (s, _r, m) => {
    const name = decodeURIComponent(m[1] ?? '');
    return s.stored(name) ? { status: 200, json: { name, format: 'wav' } } : msg(404, 'Recording not found');
  }],
  ['DELETE', /^\/recordings\/stored\/([^/]+)$/, (s, _r, m) =>
    s.deleteStored(decodeURIComponent(m[1] ?? '')) ? noContent : msg(404, 'Recording not found')],
  ['GET', /^\/recordings\/stored\/([^/]+)\/file$/, (s, _r, m) => {
    const data = s.stored(decodeURIComponent(m[1] ?? ''));
    return data ? { status: 200, binary: { contentType: 'audio/wav', data } } : msg(404, 'Recording not found');
  }],
];

function appJson(a: { name: string; channelIds: string[] }): AriJson {
  return { name: a.name, channel_ids: a.channelIds, bridge_ids: [], endpoint_ids: [], device_names: [], events_allowed: [], events_disallowed: [] };
}

/** Routes one ARI request. Unknown paths are 404, known paths with another method 405 (traces 05). */
export function routeAriRequest(s: AriSimState, req: RestRequest): RestResponse {
  const allowed: string[] = [];
  for (const [method, re, handler] of routes) {
    const m = re.exec(req.path);
    if (!m) continue;
    if (method === req.method) return handler(s, req, m);
    allowed.push(method);
  }
  if (allowed.length > 0) return { status: 405, json: { message: 'Invalid method' }, headers: { Allow: ['OPTIONS', ...allowed].join(',') } };
  return msg(404, 'Resource not found');
}
