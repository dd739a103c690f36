import type { IntakeFields } from '../assist/intake-check.ts';

/**
 * What the staff are told about a call: who called (or "withheld"), when (in the business's
 * time zone), what they said (the transcript, or a short summary when it is long), whether they agreed
 * to texts, where the recording is, what the caller was told, and an URGENT marker. Built once per call
 * and rendered three ways: an e-mail (subject + full text), a staff text (short) and a webhook payload.
 */
export type ConsentOutcome = 'granted' | 'declined' | 'unclear' | 'implied' | 'not-asked';

export interface CallNotificationInput {
  readonly business: { readonly id: number; readonly name: string; readonly timezone: string };
  readonly callId: number;
  /** The DID the caller dialed (E.164); staff texts are sent from it. */
  readonly did: string | null;
  /** E.164, or null when the caller withheld their number (or it was not a valid number). */
  readonly callerE164: string | null;
  readonly endedAt: number;
  readonly transcript: string | null;
  /** A short summary, when something produced one; else one is cut from the transcript. */
  readonly summary: string | null;
  readonly consent: ConsentOutcome;
  /** A reference staff can look the recording up by (path or URL); null when there is none. */
  readonly recordingRef: string | null;
  /** The promise made to the caller, word for word ("a technician will call you back within 30 minutes"). */
  readonly callerWasTold: string | null;
  readonly urgency: { readonly urgent: boolean; readonly rule: string | null; readonly matched: string | null } | null;
  /** Details read from the message by the assist, each checked against the transcript; absent when none. */
  readonly intake?: IntakeFields | null;
  /**
   * Absent when `transcript` is all there will be. `pending`: the message is still being transcribed
   * (the call stopped waiting for it), its transcript follows in a second notification
   * (`buildTranscriptNotification`); `failed`: that follow-up, when the transcription failed after the call.
   */
  readonly transcriptStatus?: 'pending' | 'failed';
}

export interface NotificationPayload {
  readonly event: 'call.ended' | 'call.transcript' | 'reply.received' | 'notify.test';
  /** Stable per notification: receivers dedupe on it (a retry carries the same id). */
  readonly id: string;
  readonly business: { readonly id: number; readonly name: string };
  readonly call: {
    readonly id: number;
    readonly caller: string | null;
    readonly callerWithheld: boolean;
    readonly endedAt: string;
    readonly endedAtLocal: string;
  } | null;
  readonly urgent: boolean;
  readonly urgency: { readonly rule: string | null; readonly matched: string | null } | null;
  readonly transcript: string | null;
  readonly summary: string | null;
  readonly consent: ConsentOutcome | null;
  readonly recording: string | null;
  readonly callerWasTold: string | null;
  /** Checked intake fields (problem, name, address, callback number, timeframe, summary); null when none. */
  readonly intake?: IntakeFields | null;
  /** `pending`: the transcript follows in a `call.transcript` notification; `failed`: it could not be made. */
  readonly transcriptStatus?: 'pending' | 'failed';
  /** An inbound text forwarded to staff (`reply.received`). */
  readonly reply?: { readonly text: string; readonly from: string; readonly receivedAt: string; readonly route: 'rules' | 'assist' };
}

export interface StaffNotification {
  /** `call-<call id>`, `reply-<inbound id>` or `test-<business id>-<ms>`. */
  readonly key: string;
  readonly kind: 'call' | 'reply' | 'test';
  readonly businessId: number;
  readonly callId: number | null;
  readonly did: string | null;
  readonly urgent: boolean;
  /** Call end (or test start): delivery latency is measured from here. */
  readonly since: number;
  readonly subject: string;
  /** Plain-text e-mail body. */
  readonly text: string;
  /** The staff text: short, GSM-7 friendly. */
  readonly sms: string;
  readonly payload: NotificationPayload;
}

export interface NotificationLimits {
  /** Longest transcript quoted in full in the e-mail and webhook; longer ones are cut on a word boundary. */
  readonly fullTranscriptChars: number;
  /** Longest quote in the staff text. */
  readonly smsQuoteChars: number;
}

export const DEFAULT_LIMITS: NotificationLimits = { fullTranscriptChars: 4000, smsQuoteChars: 160 };

/** Cuts `text` to at most `max` characters on a word boundary, adding `ellipsis`. */
export function truncateWords(text: string, max: number, ellipsis = '…'): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const room = Math.max(1, max - ellipsis.length);
  let cut = t.slice(0, room + 1);
  const lastSpace = cut.lastIndexOf(' ');
  // A single very long word is cut mid-word rather than dropped.
  cut = lastSpace > room / 2 ? cut.slice(0, lastSpace) : t.slice(0, room);
  return cut.replace(/[\s,;:.!?-]+$/, '') + ellipsis;
}

/** "Tue, Mar 3, 2026, 2:05 PM CST" in the business's zone. */
export function formatLocalTime(at: number, timezone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(at));
}

/** "+1 512-555-0100" reads better than E.164 in a message; falls back to the raw value. */
function displayNumber(e164: string | null): string {
  if (e164 === null) return 'withheld';
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `+1 ${m[1]}-${m[2]}-${m[3]}` : e164;
}

const CONSENT_TEXT: Readonly<Record<ConsentOutcome, string>> = {
  granted: 'agreed to texts',
  declined: 'declined texts (do not text; call back instead)',
  unclear: 'answer unclear, treated as no (do not text)',
  implied: 'implied consent (one reply text allowed)',
  'not-asked': 'not asked',
};

const CONSENT_SHORT: Readonly<Record<ConsentOutcome, string>> = {
  granted: 'texts OK',
  declined: 'no texts',
  unclear: 'no texts (unclear)',
  implied: 'implied',
  'not-asked': 'not asked',
};

/** GSM-7 has no curly quotes or ellipsis; a staff text in UCS-2 would cost twice the segments. */
function gsmFriendly(s: string): string {
  return s.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\u2026/g, '...').replace(/[\u2013\u2014]/g, '-');
}

export function buildCallNotification(input: CallNotificationInput, limits: NotificationLimits = DEFAULT_LIMITS): StaffNotification {
  const urgent = input.urgency?.urgent === true;
  const caller = displayNumber(input.callerE164);
  const when = formatLocalTime(input.endedAt, input.business.timezone);
  const transcript = input.transcript?.trim() ? input.transcript.trim() : null;
  const shownTranscript = transcript === null ? null : truncateWords(transcript, limits.fullTranscriptChars);
  const intake = input.intake ?? null;
  const summary = input.summary?.trim() || intake?.summary || null;
  const quoteSource = summary || transcript;
  const mark = urgent ? 'URGENT: ' : '';

  const subject = `${mark}Missed call from ${caller} (${input.business.name})`;
  const lines = [
    urgent ? `URGENT - flagged by rule ${input.urgency?.rule ?? '?'} ("${input.urgency?.matched ?? ''}")` : null,
    `Caller: ${caller}`,
    `Time: ${when}`,
    `Texts: ${CONSENT_TEXT[input.consent]}`,
    input.callerWasTold ? `Caller was told: "${input.callerWasTold}"` : null,
    summary ? `Summary: ${summary}` : null,
    ...intakeLines(intake),
    '',
    'Message:',
    shownTranscript ?? MISSING_TRANSCRIPT[input.transcriptStatus ?? 'none'],
    '',
    `Recording: ${input.recordingRef ?? 'none'}`,
    `Call id: ${input.callId}`,
  ].filter((l): l is string => l !== null);

  const quote = quoteSource
    ? `"${truncateWords(gsmFriendly(quoteSource), limits.smsQuoteChars, '...')}"`
    : input.transcriptStatus === 'pending' ? '(message being transcribed)' : '(no message)';
  const shortTime = new Intl.DateTimeFormat('en-US', { timeZone: input.business.timezone, hour: 'numeric', minute: '2-digit' }).format(new Date(input.endedAt));
  const about = [intake?.callerName, intake?.serviceAddress, intake?.callbackNumber ? `call ${displayNumber(intake.callbackNumber)}` : null]
    .filter((x): x is string => typeof x === 'string' && x !== '')
    .map(gsmFriendly);
  const sms = `${mark}${input.business.name}: missed call from ${caller} at ${shortTime}. ${quote}${about.length > 0 ? ` (${about.join(', ')})` : ''} ${CONSENT_SHORT[input.consent]}.`;

  return {
    key: `call-${input.callId}`,
    kind: 'call',
    businessId: input.business.id,
    callId: input.callId,
    did: input.did,
    urgent,
    since: input.endedAt,
    subject,
    text: `${lines.join('\n')}\n`,
    sms,
    payload: {
      event: 'call.ended',
      id: `call-${input.callId}`,
      business: { id: input.business.id, name: input.business.name },
      call: {
        id: input.callId,
        caller: input.callerE164,
        callerWithheld: input.callerE164 === null,
        endedAt: new Date(input.endedAt).toISOString(),
        endedAtLocal: when,
      },
      urgent,
      urgency: input.urgency ? { rule: input.urgency.rule, matched: input.urgency.matched } : null,
      transcript: shownTranscript,
      summary,
      consent: input.consent,
      recording: input.recordingRef,
      callerWasTold: input.callerWasTold,
      intake,
      ...(input.transcriptStatus !== undefined && shownTranscript === null ? { transcriptStatus: input.transcriptStatus } : {}),
    },
  };
}

const MISSING_TRANSCRIPT = {
  none: '(no message left)',
  pending: '(being transcribed: the transcript follows in a second message)',
  failed: '(could not be transcribed: listen to the recording)',
} as const;

/**
 * The follow-up to a call notice sent while the message was still being transcribed: the same summary
 * with the transcript (or word that it failed), under its own key so receivers keep both.
 */
export function buildTranscriptNotification(input: CallNotificationInput, limits: NotificationLimits = DEFAULT_LIMITS): StaffNotification {
  const n = buildCallNotification(input, limits);
  const key = `call-${input.callId}-transcript`;
  return { ...n, key, subject: `Transcript: ${n.subject}`, sms: `Transcript: ${n.sms}`, payload: { ...n.payload, event: 'call.transcript', id: key } };
}

const TIMEFRAME_TEXT = { emergency: 'now (emergency)', today: 'today', soon: 'in the next few days', flexible: 'no rush' } as const;

/** The checked intake fields as e-mail lines ("Name: Maria Lopez"); only fields that passed. */
function intakeLines(intake: IntakeFields | null): string[] {
  if (intake === null) return [];
  const rows: Array<[string, string | null]> = [
    ['Problem', intake.problem],
    ['Name', intake.callerName],
    ['Address', intake.serviceAddress],
    ['Call back on', intake.callbackNumber === null ? null : displayNumber(intake.callbackNumber)],
    ['Needed', intake.timeframe === null ? null : TIMEFRAME_TEXT[intake.timeframe]],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== null).map(([k, v]) => `${k}: ${v}`);
}

export interface ReplyNotificationInput {
  readonly business: { readonly id: number; readonly name: string; readonly timezone: string };
  readonly inboundId: number;
  /** The caller's latest call, when there is one. */
  readonly callId: number | null;
  readonly did: string;
  readonly from: string;
  readonly text: string;
  readonly receivedAt: number;
  /** Who routed it here: the local rules, or the assist. */
  readonly route: 'rules' | 'assist';
}

/** A caller's question or booking reply, forwarded to the on-call staff at once with the caller's text. */
export function buildReplyNotification(input: ReplyNotificationInput, limits: NotificationLimits = DEFAULT_LIMITS): StaffNotification {
  const caller = displayNumber(input.from);
  const when = formatLocalTime(input.receivedAt, input.business.timezone);
  const text = truncateWords(input.text, limits.fullTranscriptChars);
  const key = `reply-${input.inboundId}`;
  return {
    key,
    kind: 'reply',
    businessId: input.business.id,
    callId: input.callId,
    did: input.did,
    urgent: false,
    since: input.receivedAt,
    subject: `Text from ${caller} (${input.business.name})`,
    text: [`${caller} texted ${input.business.name}:`, '', text, '', `Time: ${when}`, input.callId === null ? null : `Their call: ${input.callId}`, 'Reply to them from the business number.']
      .filter((l): l is string => l !== null)
      .join('\n') + '\n',
    sms: `${input.business.name}: text from ${caller}: "${truncateWords(gsmFriendly(input.text), limits.smsQuoteChars, '...')}"`,
    payload: {
      event: 'reply.received',
      id: key,
      business: { id: input.business.id, name: input.business.name },
      call: null,
      urgent: false,
      urgency: null,
      transcript: null,
      summary: null,
      consent: null,
      recording: null,
      callerWasTold: null,
      intake: null,
      reply: { text, from: input.from, receivedAt: new Date(input.receivedAt).toISOString(), route: input.route },
    },
  };
}

/** The `callkeeper notify test` message: clearly a test, never URGENT. */
export function buildTestNotification(business: { id: number; name: string; timezone: string }, at: number, did: string | null): StaffNotification {
  const when = formatLocalTime(at, business.timezone);
  const key = `test-${business.id}-${at}`;
  return {
    key,
    kind: 'test',
    businessId: business.id,
    callId: null,
    did,
    urgent: false,
    since: at,
    subject: `Test notification (${business.name})`,
    text: `This is a test from callkeeper for ${business.name}, sent ${when}.\nMissed-call notifications will arrive this way.\n`,
    sms: `${business.name}: callkeeper test notification, sent ${when}. No action needed.`,
    payload: {
      event: 'notify.test',
      id: key,
      business: { id: business.id, name: business.name },
      call: null,
      urgent: false,
      urgency: null,
      transcript: null,
      summary: null,
      consent: null,
      recording: null,
      callerWasTold: null,
    },
  };
}
