import { AppError } from '../errors.ts';
import { compilePattern, findMatches, tokenize, type CompiledPattern, type Token } from './phrase-matcher.ts';
import { DEFAULT_RULES, groupsFor, TRADES, type Trade, type UrgencyRule } from './urgency-rules.ts';

/**
 * Judges a call's urgency from its transcript by transparent rules, pure and synchronous, right after
 * transcription so an urgent caller hears the emergency instruction before the goodbye. Each decision
 * names the rule and phrase that fired and the cancelled matches; what cancels a match:
 * src/domain/urgency/README.md, "What cancels a match".
 */
export interface UrgencySettings {
  readonly trade: Trade;
  /** The business's own phrases (pattern syntax of phrase-matcher.ts), stored as rule `business.extra`. */
  readonly extraPhrases: readonly string[];
  /** Rule ids (`plumbing.flooding`) or exact default patterns to switch off. */
  readonly disabled: readonly string[];
}

export const DEFAULT_URGENCY_SETTINGS: UrgencySettings = { trade: 'general', extraPhrases: [], disabled: [] };

interface CompiledRule {
  readonly id: string;
  readonly lifeSafety: boolean;
  readonly patterns: readonly CompiledPattern[];
}

export interface UrgencyRuleSet {
  readonly trade: Trade;
  readonly rules: readonly CompiledRule[];
}

export type SuppressReason = 'negated' | 'resolved' | 'hypothetical' | 'past';

export interface UrgencyMatch {
  readonly rule: string;
  /** The pattern that matched, as written in the rule. */
  readonly phrase: string;
  /** The transcript's words that matched. */
  readonly matched: string;
}

export interface UrgencyDecision {
  readonly urgent: boolean;
  readonly rule: string | null;
  readonly phrase: string | null;
  readonly matched: string | null;
  readonly trade: Trade;
  readonly suppressed: readonly (UrgencyMatch & { readonly reason: SuppressReason })[];
}

export function isTrade(s: string): s is Trade {
  return (TRADES as readonly string[]).includes(s);
}

/** Builds a business's rule set; throws INPUT.INVALID listing every malformed extra phrase. */
export function buildUrgencyRules(settings: UrgencySettings, defaults: readonly UrgencyRule[] = DEFAULT_RULES): UrgencyRuleSet {
  const off = new Set(settings.disabled.map((d) => d.trim().toLowerCase()));
  const groups = groupsFor(settings.trade);
  const rules: CompiledRule[] = [];
  for (const r of defaults) {
    if (!groups.includes(r.group) || off.has(r.id.toLowerCase())) continue;
    const patterns = r.patterns.filter((p) => !off.has(p.toLowerCase())).map(compilePattern);
    if (patterns.length > 0) rules.push({ id: r.id, lifeSafety: r.lifeSafety, patterns });
  }
  const problems: string[] = [];
  const extra: CompiledPattern[] = [];
  for (const p of settings.extraPhrases) {
    try {
      extra.push(compilePattern(p));
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length > 0) {
    throw new AppError('INPUT.INVALID', `invalid urgency phrase(s): ${problems.join('; ')}`, { details: { problems } });
  }
  if (extra.length > 0) rules.push({ id: 'business.extra', lifeSafety: false, patterns: extra });
  return { trade: settings.trade, rules };
}

const NEGATIONS = new Set(['no', 'not', 'never', 'none', 'nothing', 'nobody', 'neither', 'nor', 'cannot', 'dont', 'doesnt', 'isnt', 'wasnt', 'arent', 'werent', 'didnt', 'havent', 'hasnt', 'wont', 'aint']);
/** A negation followed by one of these is not negating the hazard: "not sure", "don't know", "won't stop". */
const PSEUDO_FOLLOWERS = new Set(['sure', 'certain', 'idea', 'only', 'just', 'doubt', 'matter', 'know', 'way', 'stop', 'stopping', 'stopped', 'quit']);
const NEGATION_WINDOW = 5;
const HYPOTHETICAL_WINDOW = 6;
const RESOLUTION_WINDOW = 8;
const HYPOTHETICAL = ['in case', 'prevent*', 'avoid*', 'protect*', 'quote*', 'estimate*', 'how much', 'price*', 'insurance', 'inspect*'].map(compilePattern);
const PAST = [
  'last year|winter|summer|spring|fall|autumn',
  'years|year|months|month ago',
  'a while ago|back',
  'in the past',
  'used to',
  'previous|prior owner*',
].map(compilePattern);
/** "not anymore" and "no longer" are resolutions; "hasn't stopped", "not under control" are not. */
const RESOLUTION_PLAIN = ['anymore', 'any more', 'no longer'].map(compilePattern);
const RESOLUTION_NEGATABLE = ['stopped', 'under control', 'went away'].map(compilePattern);

function isNegation(word: string): boolean {
  return NEGATIONS.has(word) || word.endsWith("n't");
}

function negatedBefore(tokens: readonly Token[], start: number): boolean {
  const clause = tokens[start]!.clause;
  for (let i = start - 1; i >= 0 && i >= start - NEGATION_WINDOW; i--) {
    const t = tokens[i]!;
    if (t.clause !== clause) break;
    if (!isNegation(t.word)) continue;
    const next = tokens[i + 1];
    if (next && PSEUDO_FOLLOWERS.has(next.word)) continue;
    return true;
  }
  return false;
}

function cueInRange(cues: readonly CompiledPattern[], tokens: readonly Token[], from: number, to: number, sameAs: (t: Token) => boolean): number | null {
  for (const cue of cues) {
    for (const m of findMatches(cue, tokens)) {
      if (m.start >= from && m.end <= to && sameAs(tokens[m.start]!)) return m.start;
    }
  }
  return null;
}

function suppression(rule: CompiledRule, tokens: readonly Token[], start: number, end: number): SuppressReason | null {
  const first = tokens[start]!;
  const span = tokens.slice(start, end);
  if (!span.some((t) => isNegation(t.word)) && negatedBefore(tokens, start)) return 'negated';
  if (!rule.lifeSafety) {
    const sameSentence = (t: Token): boolean => t.sentence === first.sentence;
    const sameClause = (t: Token): boolean => t.clause === first.clause;
    const resolved = (from: number, to: number, same: (t: Token) => boolean): boolean => {
      if (cueInRange(RESOLUTION_PLAIN, tokens, from, to, same) !== null) return true;
      const i = cueInRange(RESOLUTION_NEGATABLE, tokens, from, to, same);
      return i !== null && !(i > 0 && isNegation(tokens[i - 1]!.word));
    };
    if (resolved(end, end + RESOLUTION_WINDOW, sameSentence)) return 'resolved';
    if (resolved(Math.max(0, start - NEGATION_WINDOW), start, sameClause)) return 'resolved';
  }
  const clauseOf = (t: Token): boolean => t.clause === first.clause;
  if (cueInRange(HYPOTHETICAL, tokens, Math.max(0, start - HYPOTHETICAL_WINDOW), start, clauseOf) !== null) return 'hypothetical';
  if (cueInRange(PAST, tokens, 0, tokens.length, clauseOf) !== null) return 'past';
  return null;
}

export function judgeUrgency(transcript: string | null | undefined, rules: UrgencyRuleSet): UrgencyDecision {
  const tokens = tokenize(transcript ?? '');
  const suppressed: (UrgencyMatch & { reason: SuppressReason })[] = [];
  for (const rule of rules.rules) {
    for (const p of rule.patterns) {
      for (const m of findMatches(p, tokens)) {
        const matched = tokens
          .slice(m.start, m.end)
          .map((t) => t.word)
          .join(' ');
        const reason = suppression(rule, tokens, m.start, m.end);
        if (reason === null) return { urgent: true, rule: rule.id, phrase: p.source, matched, trade: rules.trade, suppressed };
        suppressed.push({ rule: rule.id, phrase: p.source, matched, reason });
      }
    }
  }
  return { urgent: false, rule: null, phrase: null, matched: null, trade: rules.trade, suppressed };
}
