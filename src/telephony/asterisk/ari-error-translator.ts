import { AppError } from '../../domain/errors.ts';

/**
 * ARI failures into AppError, through one table: the adapter translates them at its boundary.
 *
 * ari-client rejects an HTTP error with `new Error(<response body>)` and drops the status code, so the
 * Asterisk message in the body is what we classify. Asterisk error bodies are always
 * `{"message": "..."}` (test/fixtures/asterisk/traces/README.md, point 6); during boot the body is an HTML 404 page or
 * `Asterisk not booted` (08b).
 */
export type AriFailure = 'channel-gone' | 'not-found' | 'unavailable' | 'failed';

const MESSAGE_TABLE: readonly (readonly [RegExp, AriFailure])[] = [
  [/^Channel not found$/i, 'channel-gone'],
  // 409 when the channel left our Stasis app (it hung up and is being torn down).
  [/^Channel not in Stasis application$/i, 'channel-gone'],
  [/^(Playback|Recording|Application|Sound) not found$/i, 'not-found'],
  [/^Asterisk not booted$/i, 'unavailable'],
];

/** Network errors of Node and of ari-client's own reachability check. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export function classifyAriError(err: unknown): { failure: AriFailure; ariMessage: string | null } {
  if (err instanceof AppError) {
    return { failure: err.code === 'TELEPHONY.ENGINE_UNAVAILABLE' ? 'unavailable' : err.code === 'TELEPHONY.CHANNEL_GONE' ? 'channel-gone' : 'failed', ariMessage: null };
  }
  const e = err as { message?: unknown; code?: unknown; name?: unknown } | null;
  if (e && typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return { failure: 'unavailable', ariMessage: null };
  if (e?.name === 'HostIsNotReachable') return { failure: 'unavailable', ariMessage: null };
  const text = typeof e?.message === 'string' ? e.message : String(err);
  if (/^\s*<!DOCTYPE HTML/i.test(text)) return { failure: 'unavailable', ariMessage: 'ARI not registered yet' };
  let ariMessage: string | null = null;
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body?.message === 'string') ariMessage = body.message;
  } catch {
    // not an ARI body: a library or network error
  }
  if (ariMessage !== null) {
    for (const [re, failure] of MESSAGE_TABLE) if (re.test(ariMessage)) return { failure, ariMessage };
    return { failure: 'failed', ariMessage };
  }
  return { failure: 'failed', ariMessage: null };
}

/** `operation` names what we tried ("answer", "play"), for logs; ids go in details, never in the message. */
export function translateAriError(err: unknown, operation: string, details: Record<string, unknown> = {}): AppError {
  if (err instanceof AppError) return err;
  const { failure, ariMessage } = classifyAriError(err);
  const d = { ...details, operation, ariMessage };
  switch (failure) {
    case 'channel-gone':
      return new AppError('TELEPHONY.CHANNEL_GONE', `ARI ${operation}: the channel is gone`, { cause: err, details: d });
    case 'unavailable':
      return new AppError('TELEPHONY.ENGINE_UNAVAILABLE', `ARI ${operation}: Asterisk is unavailable`, { cause: err, retryable: true, details: d });
    case 'not-found':
      return new AppError('TELEPHONY.REQUEST_FAILED', `ARI ${operation}: not found`, { cause: err, details: { ...d, notFound: true } });
    default:
      return new AppError('TELEPHONY.REQUEST_FAILED', `ARI ${operation} failed`, { cause: err, details: d });
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof AppError && err.details['notFound'] === true;
}
