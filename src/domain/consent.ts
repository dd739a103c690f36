/**
 * The consent ledger's vocabulary. Events are appended, never changed; the current consent of a
 * (business, consumer) pair is derived from its event recorded last (append order, not `at`).
 */
export const CONSENT_EVENTS = ['granted', 'declined', 'unclear', 'implied', 'revoked', 'reinstated'] as const;
export type ConsentEventType = (typeof CONSENT_EVENTS)[number];

export const CONSENT_METHODS = ['verbal', 'sms-keyword', 'admin', 'import', 'implied'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

export interface NewConsentEvent {
  readonly event: ConsentEventType;
  readonly businessId: number;
  /** The business DID the consumer called or texted (E.164). */
  readonly did: string;
  /** The consumer's number, E.164. */
  readonly consumer: string;
  readonly method: ConsentMethod;
  readonly scriptVersion: string | null;
  /** The exact script text as played (verbal), or null. */
  readonly scriptText: string | null;
  readonly transcript: string | null;
  readonly audioPath: string | null;
  readonly audioSha256: string | null;
  readonly callId: number | null;
  /** Free text: who or what produced the event (`call`, `sms:<message id>`, `cli:<user>`, `import:<file>:<line>`) and any reason. */
  readonly source: string;
  /** UTC milliseconds since the epoch; the store fills in the clock's time when absent. */
  readonly at?: number;
}

export interface ConsentEvent extends NewConsentEvent {
  readonly id: number;
  readonly at: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** What may be sent to a consumer now, derived from the event recorded last. */
export type ConsentState = 'granted' | 'implied' | 'none' | 'revoked';

export function currentConsent(latest: Pick<ConsentEvent, 'event'> | undefined): ConsentState {
  switch (latest?.event) {
    case undefined:
    case 'declined':
    case 'unclear':
      return 'none';
    case 'granted':
    case 'reinstated':
      return 'granted';
    case 'implied':
      return 'implied';
    case 'revoked':
      return 'revoked';
  }
}
