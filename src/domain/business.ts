/** A business that uses callkeeper: its numbers, time zone, consent mode and message templates. */
export type ConsentMode = 'verbal' | 'implied';

export type TemplateKey = 'received' | 'callback' | 'complete' | 'implied';

export interface Business {
  readonly id: number;
  readonly name: string;
  /** The DIDs (E.164) that ring this business; the first is the default sender of its texts. */
  readonly dids: readonly string[];
  /** IANA time zone, e.g. `America/Chicago`. */
  readonly timezone: string;
  readonly consentMode: ConsentMode;
  /** Per-business overrides of the message templates; missing keys fall back to the defaults. */
  readonly templates: Readonly<Partial<Record<TemplateKey, string>>>;
  /** Optional per-business greeting text override (prompts may also be operator-recorded WAVs). */
  readonly greeting: string | null;
  /** Optional instruction read to urgent callers, e.g. "If you smell gas, leave the building and call 911". */
  readonly emergencyInstruction: string | null;
  readonly createdAt: string;
}
