/**
 * Tokenizer and phrase patterns for the urgency rules, kept small so a business owner can read a rule
 * and predict what it matches. Pattern syntax: src/domain/urgency/README.md, "Pattern syntax".
 */

export interface Token {
  readonly word: string;
  /** Index of the clause the word belongs to; a clause ends at , ; : . ! ? and at words like "but". */
  readonly clause: number;
  /** Index of the sentence; a sentence ends at . ! ? */
  readonly sentence: number;
}

/** Up to this many words may stand in a `...` gap: "smell of gas", "smells a lot like gas". */
export const GAP_MAX = 3;

/** Words that start a new clause: negation and resolution cues do not reach across them. */
const CLAUSE_WORDS = new Set(['but', 'and', 'so', 'because', 'though', 'although', 'however', 'except', 'yet', 'cause', 'plus']);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let clause = 0;
  let sentence = 0;
  const normalized = text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\u2013\u2014]/g, ',');
  // Words (with inner apostrophes) or clause/sentence punctuation.
  const re = /[a-z0-9]+(?:'[a-z]+)*|[,;:.!?]/g;
  let pendingBreak: 'clause' | 'sentence' | null = null;
  for (const m of normalized.matchAll(re)) {
    const w = m[0];
    if (w === '.' || w === '!' || w === '?') {
      pendingBreak = 'sentence';
      continue;
    }
    if (w === ',' || w === ';' || w === ':') {
      pendingBreak ??= 'clause';
      continue;
    }
    if (pendingBreak === 'sentence') {
      sentence += 1;
      clause += 1;
    } else if (pendingBreak === 'clause' || (CLAUSE_WORDS.has(w) && tokens.length > 0)) {
      clause += 1;
    }
    pendingBreak = null;
    tokens.push({ word: w, clause, sentence });
  }
  return tokens;
}

type Step =
  | { readonly kind: 'word'; readonly alts: readonly WordTest[]; readonly optional: boolean }
  | { readonly kind: 'gap' };

interface WordTest {
  readonly text: string;
  readonly prefix: boolean;
}

export interface CompiledPattern {
  readonly source: string;
  readonly steps: readonly Step[];
  readonly notFollowedBy: readonly WordTest[];
}

function wordTest(s: string): WordTest {
  const prefix = s.endsWith('*');
  return { text: prefix ? s.slice(0, -1) : s, prefix };
}

function testWord(t: WordTest, word: string): boolean {
  return t.prefix ? word.startsWith(t.text) : word === t.text;
}

/** Compiles a pattern; throws a plain Error with the reason when it is malformed (callers wrap it). */
export function compilePattern(source: string): CompiledPattern {
  const parts = source
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .trim()
    .split(/\s+/)
    .filter((p) => p !== '');
  const steps: Step[] = [];
  const notFollowedBy: WordTest[] = [];
  for (const p of parts) {
    if (p.startsWith('!')) {
      if (p.length < 2) throw new Error(`empty "!" in pattern "${source}"`);
      notFollowedBy.push(wordTest(p.slice(1)));
      continue;
    }
    if (notFollowedBy.length > 0) throw new Error(`"!word" must come last in pattern "${source}"`);
    if (p === '...') {
      steps.push({ kind: 'gap' });
      continue;
    }
    const optional = p.endsWith('?') && p.length > 1;
    const body = optional ? p.slice(0, -1) : p;
    const alts = body.split('|').map(wordTest);
    if (alts.some((a) => !/^[a-z0-9']+$/.test(a.text))) throw new Error(`bad word "${p}" in pattern "${source}"`);
    steps.push({ kind: 'word', alts, optional });
  }
  const words = steps.filter((s) => s.kind === 'word' && !s.optional);
  if (words.length === 0) throw new Error(`pattern "${source}" has no required word`);
  if (steps[0]?.kind === 'gap' || steps[steps.length - 1]?.kind === 'gap') throw new Error(`pattern "${source}" cannot start or end with "..."`);
  return { source, steps, notFollowedBy };
}

export interface PatternMatch {
  /** Index of the first and one past the last matched token. */
  readonly start: number;
  readonly end: number;
}

/** Every match of `p` in `tokens` (leftmost, shortest per start). */
export function findMatches(p: CompiledPattern, tokens: readonly Token[]): PatternMatch[] {
  const out: PatternMatch[] = [];
  for (let start = 0; start < tokens.length; start++) {
    const end = matchAt(p.steps, 0, tokens, start, tokens[start]!.clause);
    if (end === null) continue;
    const next = tokens[end];
    if (next && next.clause === tokens[start]!.clause && p.notFollowedBy.some((t) => testWord(t, next.word))) continue;
    out.push({ start, end });
  }
  return out;
}

function matchAt(steps: readonly Step[], si: number, tokens: readonly Token[], ti: number, clause: number): number | null {
  if (si === steps.length) return ti;
  const step = steps[si]!;
  if (step.kind === 'gap') {
    for (let skip = 0; skip <= GAP_MAX; skip++) {
      const at = ti + skip;
      if (at > tokens.length) break;
      if (skip > 0 && tokens[at - 1]!.clause !== clause) break;
      const r = matchAt(steps, si + 1, tokens, at, clause);
      if (r !== null) return r;
    }
    return null;
  }
  const tok = tokens[ti];
  if (tok && tok.clause === clause && step.alts.some((a) => testWord(a, tok.word))) {
    const r = matchAt(steps, si + 1, tokens, ti + 1, clause);
    if (r !== null) return r;
  }
  return step.optional ? matchAt(steps, si + 1, tokens, ti, clause) : null;
}
