/**
 * What an inbound text asks for. One-word keywords are matched case-insensitively with
 * punctuation trimmed (CTIA keywords plus the FCC's list in 47 CFR 64.1200(a)(10)); natural-language
 * revocation ("by any reasonable means", FCC 24-24, effective 2025) is matched by rules. When in doubt
 * between revoking and not, we revoke: a wrong revoke costs one START, a missed one breaks the law.
 */
export type InboundIntent = 'stop' | 'help' | 'start' | 'yes' | 'other';

export interface ParsedInbound {
  readonly intent: InboundIntent;
  /** The keyword or phrase that matched, upper-case, e.g. `STOP`, `OPT OUT`, `phrase:leave me alone`. */
  readonly keyword: string | null;
}

/** The keywords themselves, exported so the published program description lists exactly what is honoured. */
export const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'STOP ALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'OPT OUT', 'OPT-OUT', 'REVOKE'] as const;
export const HELP_KEYWORDS = ['HELP', 'INFO'] as const;
export const OPT_IN_KEYWORDS = ['START', 'UNSTOP'] as const;

const STOP_WORDS = new Set<string>(OPT_OUT_KEYWORDS);
const HELP_WORDS = new Set<string>(HELP_KEYWORDS);
const START_WORDS = new Set<string>(OPT_IN_KEYWORDS);
const YES_WORDS = new Set(['YES', 'Y']);

/** Politeness around a keyword ("stop please", "STOP!!", "please unsubscribe") does not hide it. */
const FILLER = /^(?:please|pls|plz|ok|okay|thanks|thank you|thx)\s+|\s+(?:please|pls|plz|now|thanks|thank you|thx)$/;

const REVOKE_PHRASES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bstop (?:texting|messaging|sending|contacting|txting|msging|calling and texting)\b/, 'stop texting'],
  [/\b(?:don'?t|do not|dont|never) (?:text|message|txt|msg|contact) me\b/, 'do not text me'],
  [/\bno more (?:texts|messages|txts|msgs)\b/, 'no more texts'],
  [/\bleave me alone\b/, 'leave me alone'],
  [/\b(?:take|remove|delete|drop) (?:me|my number|this number) (?:off|from)\b/, 'take me off'],
  [/\bremove me\b/, 'remove me'],
  [/\bwrong (?:number|person|#)\b/, 'wrong number'],
  [/\bunsubscribe\b/, 'unsubscribe'],
  [/\bopt(?:-| )?(?:me )?out\b/, 'opt out'],
];

function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Trims punctuation and emoji at both ends; keeps the inner hyphen of OPT-OUT. */
function trimPunctuation(s: string): string {
  return s.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

function keywordOf(word: string): InboundIntent | null {
  const w = word.toUpperCase();
  if (STOP_WORDS.has(w)) return 'stop';
  if (HELP_WORDS.has(w)) return 'help';
  if (START_WORDS.has(w)) return 'start';
  if (YES_WORDS.has(w)) return 'yes';
  return null;
}

export function parseInbound(text: string): ParsedInbound {
  const norm = normalize(text);
  let core = trimPunctuation(norm);
  for (let i = 0; i < 3; i++) {
    const intent = keywordOf(core);
    if (intent) return { intent, keyword: core.toUpperCase() };
    const stripped = trimPunctuation(core.replace(FILLER, ''));
    if (stripped === core) break;
    core = stripped;
  }
  for (const [re, name] of REVOKE_PHRASES) if (re.test(norm)) return { intent: 'stop', keyword: `phrase:${name}` };
  return { intent: 'other', keyword: null };
}
