/** One line of `calls list`: the call row with the consent decision it led to and what it caused. */
export interface CallSummaryRow {
  readonly id: number;
  readonly engine: string;
  readonly businessId: number | null;
  readonly did: string;
  readonly caller: string | null;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly outcome: string | null;
  /** The last consent event recorded for this call (granted, declined, unclear, implied), if any. */
  readonly consent: string | null;
  readonly urgent: boolean | null;
  readonly texts: number;
}

export interface CallFilter {
  readonly businessId?: number;
  readonly caller?: string;
  readonly outcome?: string;
  readonly since?: number;
  readonly until?: number;
  readonly urgent?: boolean;
  readonly limit: number;
}

/** Everything recorded about one call, for `calls show`. */
export interface CallDetail {
  readonly call: Readonly<Record<string, string | number | null>>;
  readonly consent: ReadonlyArray<{ id: number; at: number; event: string; method: string; transcript: string | null; source: string | null }>;
  readonly urgency: { urgent: boolean; rule: string | null; matched: string | null } | null;
  readonly texts: ReadonlyArray<{ id: number; kind: string; state: string; stateReason: string | null; parts: number | null; createdAt: number; body: string }>;
  readonly staff: ReadonlyArray<{ channel: string; state: string; attempts: number; lastError: string | null }>;
}

/** The calls an admin looks up (`callkeeper calls list|show`, the console's calls pages). */
export interface CallHistory {
  list(f: CallFilter): CallSummaryRow[];
  detail(id: number): CallDetail | null;
}
