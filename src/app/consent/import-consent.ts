import { z } from 'zod';
import { CONSENT_EVENTS, type ConsentEvent, type NewConsentEvent } from '../../domain/consent.ts';
import { AppError } from '../../domain/errors.ts';
import { toE164 } from '../../domain/phone-number.ts';
import type { AsyncConsentLedger } from '../../domain/ports/async-consent-ledger.ts';
import type { BusinessDirectory } from '../../domain/ports/business-directory.ts';
import type { AppendCheck, ConsentLedger } from '../../domain/ports/consent-ledger.ts';
import { parseIsoTime } from './consent-input.ts';

/**
 * `consent import --format ndjson FILE`, for installers moving from another system: the keys a line
 * may hold and the rules on `at` (never more than FUTURE_SKEW_MS ahead, never before the pair's current
 * event): src/app/consent/README.md, "Import lines". All lines are checked, inside the append's own
 * transaction, before any is written.
 */
/** Clock skew tolerated between the exporting machine and this one (README "The consent ledger"). */
export const FUTURE_SKEW_MS = 5 * 60_000;
/** The largest time a JavaScript Date can hold (ECMA-262 §21.4.1.1); beyond it an `at` is no time at all. */
const MAX_DATE_MS = 8_640_000_000_000_000;
/**
 * A text without NUL: PostgreSQL's text cannot hold one, so a line carrying it is refused on either store
 * (one answer for the same file, src/app/consent/README.md "Import lines"), not let into SQLite only.
 */
const noNul = (v: string): boolean => !v.includes('\u0000');
const NUL = 'holds a NUL character';
const text = (max: number) => z.string().max(max).refine(noNul, NUL);
const str = text(100_000);
const lineSchema = z.object({
  event: z.enum(CONSENT_EVENTS),
  business_id: z.number().int().positive(),
  consumer: z.string().min(1).refine(noNul, NUL),
  at: z.union([z.string(), z.number().int().nonnegative()]),
  did: z.string().min(1).refine(noNul, NUL).nullish(),
  script_version: str.nullish(),
  script_text: str.nullish(),
  transcript: str.nullish(),
  audio_path: str.nullish(),
  audio_sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters').nullish(),
  method: text(100).nullish(),
  source: text(1000).nullish(),
  call_id: z.union([z.number(), z.string().refine(noNul, NUL)]).nullish(),
});

export interface ImportResult {
  readonly imported: number;
  readonly firstId: number | null;
  readonly lastId: number | null;
}

export function importConsentNdjson(
  deps: { ledger: Pick<ConsentLedger, 'appendAll'>; businesses: BusinessDirectory; now: () => number },
  lines: Iterable<string>,
  fileLabel: string,
): ImportResult {
  const { events, check } = checkedImport(deps, lines, fileLabel);
  return importResult(events.length ? deps.ledger.appendAll(events, check) : []);
}

/**
 * The same import on a ledger behind the async port (PostgreSQL: PgConsentStore.appendAll runs `check`
 * under the ledger's lock, in the append's transaction, so a refused line rolls every line back). The
 * businesses are the directory read once before (listedBusinessDirectory).
 */
export async function importConsentNdjsonAsync(
  deps: { ledger: Pick<AsyncConsentLedger, 'appendAll'>; businesses: BusinessDirectory; now: () => number },
  lines: Iterable<string>,
  fileLabel: string,
): Promise<ImportResult> {
  const { events, check } = checkedImport(deps, lines, fileLabel);
  return importResult(events.length ? await deps.ledger.appendAll(events, check) : []);
}

/** Every line parsed and checked (the first bad one throws), and the check each event meets against its pair's current event. */
function checkedImport(deps: { businesses: BusinessDirectory; now: () => number }, lines: Iterable<string>, fileLabel: string): { events: NewConsentEvent[]; check: AppendCheck } {
  const events: NewConsentEvent[] = [];
  const lineNos: number[] = [];
  const latestAllowed = deps.now() + FUTURE_SKEW_MS;
  let lineNo = 0;
  for (const text of lines) {
    lineNo += 1;
    if (text.trim() === '') continue;
    events.push(parseLine(deps.businesses, text, lineNo, fileLabel, latestAllowed));
    lineNos.push(lineNo);
  }
  const notBeforeCurrent: AppendCheck = (e, i, current) => {
    if (current === undefined || (e.at ?? 0) >= current.at) return;
    lineError(
      lineNos[i] ?? 0,
      `at ${iso(e.at ?? 0)} is before the current event of this business and number (record ${current.id}, at ${iso(current.at)}); ` +
        'the event recorded last is the current consent, so an older one cannot be added after it',
    );
  };
  return { events, check: notBeforeCurrent };
}

function importResult(written: readonly ConsentEvent[]): ImportResult {
  return { imported: written.length, firstId: written[0]?.id ?? null, lastId: written.at(-1)?.id ?? null };
}

const iso = (ms: number): string => new Date(ms).toISOString();

function lineError(lineNo: number, why: string, cause?: unknown): never {
  throw new AppError('INPUT.INVALID', `line ${lineNo}: ${why}; nothing was imported`, { cause, details: { line: lineNo } });
}

function parseLine(businesses: BusinessDirectory, text: string, lineNo: number, fileLabel: string, latestAllowed: number): NewConsentEvent {
  const fail = (why: string, cause?: unknown): never => lineError(lineNo, why, cause);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail('not valid JSON', e);
  }
  const parsed = lineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(`${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}`);
  }
  const l = parsed.data;
  const business = businesses.byId(l.business_id);
  if (!business) return fail(`no business with id ${l.business_id}`);
  const consumer = toE164(l.consumer) ?? fail('consumer is not a valid phone number');
  const did = l.did ? (toE164(l.did) ?? fail('did is not a valid phone number')) : (business.dids[0] ?? fail(`business ${business.id} has no DID`));
  let at: number;
  try {
    at = typeof l.at === 'number' ? l.at : parseIsoTime(l.at, 'at');
  } catch {
    return fail('at must be ISO-8601 with a zone (e.g. 2026-05-01T14:00:00Z) or UTC milliseconds');
  }
  if (at > MAX_DATE_MS) return fail('at is not a valid time (UTC milliseconds beyond the year 275760)');
  if (at > latestAllowed) return fail(`at ${iso(at)} is in the future (more than ${FUTURE_SKEW_MS / 60_000} minutes ahead of this machine's clock)`);
  const original = [l.method && `method=${l.method}`, l.source && `source=${l.source}`, l.call_id != null && `call_id=${l.call_id}`].filter(Boolean);
  return {
    event: l.event,
    businessId: business.id,
    did,
    consumer,
    method: 'import',
    scriptVersion: l.script_version ?? null,
    scriptText: l.script_text ?? null,
    transcript: l.transcript ?? null,
    audioPath: l.audio_path ?? null,
    audioSha256: l.audio_sha256 ?? null,
    callId: null,
    source: `import:${fileLabel}:${lineNo}${original.length ? ` (${original.join(' ')})` : ''}`,
    at,
  };
}
