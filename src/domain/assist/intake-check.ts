import type { IntakeDraft, Timeframe } from '../ports/assist.ts';
import { TIMEFRAMES } from '../ports/assist.ts';
import { isGsm7 } from '../messaging/gsm7-alphabet.ts';
import { parseCallerId } from '../phone-number.ts';
import { TranscriptGrounding, tokenize } from './transcript-grounding.ts';

/**
 * The check every assisted intake field must pass before anyone sees it: the words must be in the
 * message transcript, a number must appear in it, and nothing is invented. A field that fails is dropped
 * (empty), never repaired: a wrong address in a staff e-mail or a wrong problem in a text to the caller is
 * worse than none. Pure; the model's draft is untrusted input.
 */
export interface IntakeFields {
  readonly problem: string | null;
  readonly callerName: string | null;
  readonly serviceAddress: string | null;
  /** E.164. */
  readonly callbackNumber: string | null;
  readonly timeframe: Timeframe | null;
  readonly summary: string | null;
}

export type IntakeField = keyof IntakeFields;
export const INTAKE_FIELDS: readonly IntakeField[] = ['problem', 'callerName', 'serviceAddress', 'callbackNumber', 'timeframe', 'summary'];

/** `empty`: the model left it blank (not said, or not sure); `rejected`: the check threw it out. */
export type FieldCheck = 'accepted' | 'rejected' | 'empty';

export interface CheckedIntake {
  readonly fields: IntakeFields;
  readonly checks: Readonly<Record<IntakeField, FieldCheck>>;
}

export const EMPTY_INTAKE: IntakeFields = {
  problem: null,
  callerName: null,
  serviceAddress: null,
  callbackNumber: null,
  timeframe: null,
  summary: null,
};

/** Words a short phrase may add around the caller's own ("a leaking kitchen faucet"). */
const PHRASE_GLUE = new Set(['a', 'an', 'the', 'my', 'our', 'their', 'his', 'her', 'in', 'on', 'at', 'of', 'with', 'under', 'that', 'is', 'and', 'from']);

/** Words a staff summary may use that the caller need not have said ("Caller reports ..., wants a callback"). */
const SUMMARY_GLUE = new Set([
  ...PHRASE_GLUE, 'caller', 'customer', 'reports', 'reported', 'says', 'said', 'wants', 'needs', 'asks', 'asked', 'requests',
  'would', 'like', 'someone', 'to', 'come', 'out', 'call', 'back', 'callback', 'for', 'about', 'a', 'visit', 'service', 'repair',
  'as', 'soon', 'possible', 'asap', 'urgently', 'urgent', 'today', 'their', 'they', 'has', 'have', 'is', 'are', 'was', 'be',
  'by', 'can', 'at', 'to', 'it', 'this', 'who', 'no', 'not', 'left', 'message', 'name', 'named', 'address', 'number', 'reach',
  'them', 'on', 'or', 'and', 'but', 'also', 'mentions', 'mentioned', 'problem', 'issue', 'given', 'gave',
]);

const LIMITS = { problemWords: 8, problemChars: 60, nameWords: 4, addressWords: 12, addressChars: 100, quoteWords: 24, summaryWords: 30, summaryChars: 200 } as const;

export function checkIntake(draft: IntakeDraft, transcript: string, opts: { defaultCountry?: 'US' | 'CA' } = {}): CheckedIntake {
  const g = new TranscriptGrounding(transcript);
  const checks = {} as Record<IntakeField, FieldCheck>;
  const take = <K extends IntakeField>(field: K, raw: unknown, accept: (v: string) => IntakeFields[K] | null): IntakeFields[K] | null => {
    const v = typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim() : '';
    if (v === '') {
      checks[field] = 'empty';
      return null;
    }
    const out = accept(v);
    checks[field] = out === null ? 'rejected' : 'accepted';
    return out;
  };

  const problem = take('problem', draft.problem, (v) => {
    const p = v.replace(/[.!]+$/, '');
    const ok =
      /^[A-Za-z0-9 ,'/-]+$/.test(p) && isGsm7(p) && p.length <= LIMITS.problemChars &&
      tokenize(p).length <= LIMITS.problemWords && g.grounds(p, PHRASE_GLUE);
    return ok ? p : null;
  });

  const callerName = take('callerName', draft.callerName, (v) => {
    const parts = v.split(' ');
    const ok = parts.length <= LIMITS.nameWords && parts.every((w) => /^[A-Za-z][A-Za-z'-]*\.?$/.test(w) && g.hasExactWord(w.replace(/\.$/, '')));
    return ok ? v : null;
  });

  const serviceAddress = take('serviceAddress', draft.serviceAddress, (v) => {
    const a = v.replace(/[.]+$/, '');
    const ok =
      /^[A-Za-z0-9 ,.'#/-]+$/.test(a) && a.length <= LIMITS.addressChars && tokenize(a).length <= LIMITS.addressWords &&
      /\d/.test(a) && g.grounds(a, new Set());
    return ok ? a : null;
  });

  const callbackNumber = take('callbackNumber', draft.callbackNumber, (v) => {
    const id = parseCallerId(v, opts.defaultCountry ?? 'US');
    if (id.kind !== 'number') return null;
    // The national number (for NANP, the 10 digits) must have been said, digit for digit.
    const national = id.e164.startsWith('+1') ? id.e164.slice(2) : id.e164.replace(/^\+\d{1,3}/, '');
    return g.hasPhoneDigits(national) ? id.e164 : null;
  });

  const timeframe = take('timeframe', draft.timeframe, (v) => {
    if (!(TIMEFRAMES as readonly string[]).includes(v)) return null;
    // An enum cannot be checked against the words; the caller's words it rests on can.
    const quote = typeof draft.timeframeQuote === 'string' ? draft.timeframeQuote.trim() : '';
    const ok = quote !== '' && tokenize(quote).length <= LIMITS.quoteWords && g.hasPhrase(quote);
    return ok ? (v as Timeframe) : null;
  });

  const summary = take('summary', draft.summary, (v) => {
    const ok = v.length <= LIMITS.summaryChars && tokenize(v).length <= LIMITS.summaryWords && !/[<>{}\\`]/.test(v) && g.grounds(v, SUMMARY_GLUE);
    return ok ? v : null;
  });

  return { fields: { problem, callerName, serviceAddress, callbackNumber, timeframe, summary }, checks };
}

/** Fields that were rejected by the check, for the metrics and the record. */
export function rejectedFields(c: CheckedIntake): IntakeField[] {
  return INTAKE_FIELDS.filter((f) => c.checks[f] === 'rejected');
}
