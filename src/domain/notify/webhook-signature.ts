import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signing, for us and for integrators who receive our POSTs:
 *   X-Callkeeper-Timestamp: <Unix seconds>
 *   X-Callkeeper-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *   X-Callkeeper-Delivery:  <delivery id, the same on every retry: dedupe on it>
 * The timestamp is inside the signed text, so an attacker cannot freshen an old request; a receiver
 * rejects a stale timestamp and remembers the signatures it accepted within the tolerance (replay).
 */
export const TIMESTAMP_HEADER = 'x-callkeeper-timestamp';
export const SIGNATURE_HEADER = 'x-callkeeper-signature';
export const DELIVERY_HEADER = 'x-callkeeper-delivery';

/** Five minutes: clocks of small-business servers drift, and a retry is re-signed anyway. */
export const DEFAULT_TOLERANCE_MS = 5 * 60_000;

export function signWebhook(secret: string, timestampS: number, body: string | Uint8Array): string {
  const h = createHmac('sha256', secret);
  h.update(`${timestampS}.`);
  h.update(body);
  return `sha256=${h.digest('hex')}`;
}

export type VerifyResult =
  | { readonly ok: true; readonly timestampMs: number; readonly signature: string }
  | { readonly ok: false; readonly reason: 'missing-headers' | 'bad-timestamp' | 'stale' | 'bad-signature' };

type Headers = Readonly<Record<string, string | readonly string[] | undefined>> | { get(name: string): string | null };

function header(h: Headers, name: string): string | undefined {
  if (typeof (h as { get?: unknown }).get === 'function') return (h as { get(n: string): string | null }).get(name) ?? undefined;
  const rec = h as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : rec[key];
  return Array.isArray(v) ? v[0] : (v as string | undefined);
}

/**
 * Checks a received webhook: `body` must be the raw bytes as received (not re-serialized JSON), `now`
 * the receiver's clock in ms. Does not detect replays by itself: pair it with `WebhookReplayGuard`.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: Headers,
  body: string | Uint8Array,
  now: number,
  toleranceMs: number = DEFAULT_TOLERANCE_MS,
): VerifyResult {
  const ts = header(headers, TIMESTAMP_HEADER);
  const sig = header(headers, SIGNATURE_HEADER);
  if (ts === undefined || sig === undefined) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'bad-timestamp' };
  const timestampMs = Number(ts) * 1000;
  if (Math.abs(now - timestampMs) > toleranceMs) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signWebhook(secret, Number(ts), body));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  return { ok: true, timestampMs, signature: sig };
}

/**
 * Remembers accepted signatures until they would be stale anyway, so the same request replayed within
 * the tolerance is refused. In memory: a receiver with several processes needs a shared store instead.
 */
export class WebhookReplayGuard {
  private readonly seen = new Map<string, number>();
  private readonly toleranceMs: number;

  constructor(toleranceMs: number = DEFAULT_TOLERANCE_MS) {
    this.toleranceMs = toleranceMs;
  }

  /** True the first time a signature is offered, false for a replay. */
  accept(v: { signature: string; timestampMs: number }, now: number): boolean {
    for (const [sig, ts] of this.seen) if (now - ts > this.toleranceMs) this.seen.delete(sig);
    if (this.seen.has(v.signature)) return false;
    this.seen.set(v.signature, v.timestampMs);
    return true;
  }
}
