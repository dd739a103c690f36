import {
  CONDITION_ADJECTIVES,
  CONDITION_VERBS,
  CONDITION_WORD,
  DOUBT,
  FIXTURES,
  MODIFIERS,
  NEGATIONS,
  NOISE_MARKERS,
  PAST,
  PROBLEM_WORDS,
  PSEUDO_NEGATION,
  RESOLVED,
  SAME_PROBLEM,
  SITUATIONS,
  type Condition,
  type Fixture,
} from './issue-vocabulary.ts';

/**
 * The caller's issue as a short phrase for the first text ("We received your call about a leaking
 * faucet."), by transparent local rules over a trade vocabulary (issue-vocabulary.ts). A wrong guess in
 * a text to a customer is worse than none, so it returns null whenever it is not sure; when that is:
 * src/domain/messaging/README.md, "The caller's issue". Pure; at most a few words, lower case except
 * "AC", no full stop.
 */
export function extractIssue(transcript: string | null): string | null {
  if (transcript === null) return null;
  const text = normalize(transcript);
  const words = text.split(' ').filter((w) => /[a-z0-9]/.test(w));
  if (words.length === 0 || words.length > MAX_WORDS) return null;

  const found = findProblems(text);
  if (found.length === 0) return null;
  if (negatedProblemWord(text, found)) return null;
  for (const m of found) {
    if (negatedBefore(text, m.start)) return null;
    const [from, to] = sentenceAround(text, m.start);
    const sentence = mask(text, found).slice(from, to);
    if (RESOLVED.test(sentence) || PAST.test(sentence) || DOUBT.test(sentence)) return null;
    if (asked(text, m.end)) return null;
  }
  const groups = new Set(found.map((m) => SAME_PROBLEM[m.group] ?? m.group));
  if (groups.size !== 1) return null;
  // A fixture named ("the water heater is leaking") says more than its effect ("no hot water").
  const best = found.find((m) => m.fixture) ?? found[0]!;
  return best.phrase;
}

/** Messages longer than this are not summarized: at a talking pace that is 20 s and more of speech. */
export const MAX_WORDS = 60;

interface Found {
  readonly start: number;
  readonly end: number;
  readonly phrase: string;
  readonly group: string;
  /** Named a fixture (preferred over a situation such as "no hot water"). */
  readonly fixture: boolean;
}

function normalize(transcript: string): string {
  return transcript
    .replace(NOISE_MARKERS, ' ')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\ba\/c\b|\ba\.c\.?(?=\s|$|[,;!?])/g, 'ac')
    .replace(/\s+([,.;:!?])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---- matching ----------------------------------------------------------------------------------

const NAME_TO_FIXTURE = new Map<string, Fixture>();
for (const f of FIXTURES) for (const n of f.names) NAME_TO_FIXTURE.set(n, f);
const NAMES = [...NAME_TO_FIXTURE.keys()].sort((a, b) => b.length - a.length).map(escape).join('|');
const MODS = `(?:(?:${MODIFIERS.join('|')}) ){0,2}`;
const DETERMINER = "(?:(?:my|the|our|a|an|his|her|their|this|that|one of (?:my|the|our)) )?";
/** Words between the fixture and the verb: "is", "has been", "keeps", "just", "in the basement". */
const LINK = "(?: (?:is|are|was|were|has been|have been|had been|keeps|kept|started|starts|just|still|really|completely|totally|all|got|seems to be|seem to be|went|been))*";
const PLACE = '(?: (?:in|under|behind|on|at|by|near) (?:the|my|our) [a-z]+(?: room)?)?';

interface Form {
  readonly re: RegExp;
  /** Which capture holds the modifiers, the fixture name and the condition word(s). */
  readonly read: (m: RegExpExecArray) => { mods: string; name: string; condition: Condition | null; said: string };
}

const ALL_VERBS = (Object.keys(CONDITION_VERBS) as Condition[]).map((c) => `(?<${c}>${CONDITION_VERBS[c]})`).join('|');
const ALL_ADJECTIVES = (Object.keys(CONDITION_ADJECTIVES) as Condition[]).map((c) => `(?<${c}>${CONDITION_ADJECTIVES[c]})`).join('|');

function whichCondition(m: RegExpExecArray): Condition | null {
  for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined && k in CONDITION_WORD) return k as Condition;
  return null;
}

const FORMS: readonly Form[] = [
  // "my kitchen faucet is leaking", "the pipe in the basement burst", "toilet won't flush".
  {
    re: new RegExp(`\\b${DETERMINER}(${MODS})(${NAMES})(?:'s|'re)?${PLACE}${LINK} (?:${ALL_VERBS})\\b`, 'g'),
    read: (m) => ({ mods: m[1] ?? '', name: m[2] ?? '', condition: whichCondition(m), said: m[0] }),
  },
  // "a leak under the kitchen sink", "water is coming out from under the toilet".
  {
    re: new RegExp(
      `\\b(?:(?:a |the )?(?<leak>leak|drip)|water (?:is )?(?:leaking|coming|pouring|dripping|spraying|gushing)(?: out)?) (?:under|in|from|at|behind|around|out of|from under|from behind) (?:my|the|our) (${MODS})(${NAMES})\\b`,
      'g',
    ),
    read: (m) => ({ mods: m[m.length - 2] ?? '', name: m[m.length - 1] ?? '', condition: 'leak', said: m[0] }),
  },
  // "a leaky faucet", "burst pipes", "a clogged kitchen drain".
  {
    re: new RegExp(`\\b(?:${ALL_ADJECTIVES}) (${MODS})(${NAMES})\\b`, 'g'),
    read: (m) => ({ mods: m[m.length - 2] ?? '', name: m[m.length - 1] ?? '', condition: whichCondition(m), said: m[0] }),
  },
];

function findProblems(text: string): Found[] {
  const found: Found[] = [];
  const free = (start: number, end: number): boolean => found.every((f) => end <= f.start || start >= f.end);
  for (const s of SITUATIONS) {
    const re = new RegExp(s.pattern.source, 'g');
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (!free(start, end)) continue;
      found.push({ start, end, phrase: typeof s.phrase === 'string' ? s.phrase : s.phrase(m), group: s.group, fixture: false });
    }
  }
  for (const form of FORMS) {
    form.re.lastIndex = 0;
    for (let m = form.re.exec(text); m !== null; m = form.re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      const { mods, name, condition } = form.read(m);
      const fixture = NAME_TO_FIXTURE.get(name);
      if (fixture === undefined || condition === null || !fixture.conditions.includes(condition) || !free(start, end)) continue;
      found.push({ start, end, phrase: phraseFor(fixture, name, mods.trim(), condition), group: fixture.group, fixture: true });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

function phraseFor(fixture: Fixture, name: string, mods: string, condition: Condition): string {
  const fixed = fixture.phrases?.[condition];
  if (fixed !== undefined) return fixed;
  const noun = [mods, fixture.label ?? name].filter((s) => s !== '').join(' ');
  const plural = fixture.plurals?.includes(name) === true;
  if (condition === 'flush') return `${article(noun)} ${noun} that won't flush`;
  const words = `${CONDITION_WORD[condition]} ${noun}`;
  return plural ? words : `${article(words)} ${words}`;
}

function article(words: string): 'a' | 'an' {
  return /^[aeiou]/.test(words) ? 'an' : 'a';
}

// ---- doubt -------------------------------------------------------------------------------------

/** Offset of the start of the clause holding `at` (clauses end at punctuation and "but"/"and"/"so"). */
function clauseStart(text: string, at: number): number {
  const before = text.slice(0, at);
  let start = 0;
  for (const m of before.matchAll(/[.,;:!?]|\b(?:but|and|so|because)\b/g)) start = m.index + m[0].length;
  return start;
}

/** The clause the match is in ends with a question mark ("Is the toilet clogged?"). */
function asked(text: string, end: number): boolean {
  const next = text.slice(end).search(/[.,;:!?]/);
  return next >= 0 && text[end + next] === '?';
}

function sentenceAround(text: string, at: number): [number, number] {
  const before = text.slice(0, at);
  let from = 0;
  for (const m of before.matchAll(/[.!?]/g)) from = m.index + 1;
  const rest = text.slice(at).search(/[.!?]/);
  return [from, rest < 0 ? text.length : at + rest];
}

/** A negation in the last four words before `at`, in the same clause ("I don't think my pipe burst"). */
function negatedBefore(text: string, at: number): boolean {
  const clause = text.slice(clauseStart(text, at), at);
  const words = clause.trim().split(' ');
  const window = words.slice(-4).join(' ');
  for (const m of window.matchAll(NEGATIONS)) {
    if (!PSEUDO_NEGATION.test(window.slice(m.index + m[0].length).trim())) return true;
  }
  return false;
}

/** A problem word outside the matches, negated: the caller is talking about a problem they do not have. */
function negatedProblemWord(text: string, found: readonly Found[]): boolean {
  for (const m of text.matchAll(PROBLEM_WORDS)) {
    const at = m.index;
    if (found.some((f) => at >= f.start && at < f.end)) continue;
    if (negatedBefore(text, at)) return true;
  }
  return false;
}

/** The text with the matches blanked out, so "stopped working" is not read as "stopped" (resolved). */
function mask(text: string, found: readonly Found[]): string {
  let out = text;
  for (const f of found) out = out.slice(0, f.start) + '_'.repeat(f.end - f.start) + out.slice(f.end);
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
