/**
 * How far a PocketSphinx consent answer may be trusted (nothing unclear may count as yes).
 *
 * PocketSphinx 0.8's 16 kHz model hears 8 kHz telephone audio badly: measured on 1,200 eSpeak NG clips
 * (WebAssembly and system binary, 4 voices each, 130/160/190 words a minute, 8 kHz), its phone decoder
 * drops the initial /n/ of "no" ("no thanks" → OW K AH IY → "okay"), loses "not" ("I'm not sure" →
 * "sure"), and hears "nah" as "yeah". Agreement of two decodes is not enough, because both decodes make
 * the same mistake. So an affirmative from this recognizer is believed only when all of these hold:
 *
 * 1. the grammar decode is made only of assent words, and holds a trusted head word: the yes family,
 *    "absolutely", "of course", "go ahead", "sounds good". Never "okay" (what "no thanks" sounds like to
 *    it) nor "sure"/"fine" alone (what "not sure"/"not fine" sound like once "not" is lost);
 * 2. the free language-model decode has the same head word with a lattice posterior of at least
 *    {@link MIN_HEAD_POSTERIOR} (measured: refusals that reached this step had at most 0.33, clear yeses a
 *    median of 0.88);
 * 3. no refusal, hedge or question word appears in the language model's best hypothesis or any of its
 *    N-best alternatives (a cheap veto: a real "yes" rarely has "no" among its alternatives).
 *
 * Measured with these rules: 0 of 720 refusals, hedges and questions granted; 100 of 480 affirmatives
 * granted (the rest unclear). See test/speech/pocketsphinx-consent-matrix.ts.
 */

export const MIN_HEAD_POSTERIOR = 0.5;

/** Words the answer grammar uses to absorb noise and hesitation; they never count either way. */
export const FILLERS: ReadonlySet<string> = new Set(['uh', 'um']);

/** A trusted head word and its family: "yes" heard by one decode as "yep" and by the other as "yeah" still agree. */
const HEADS: Readonly<Record<string, string>> = {
  yes: 'yes', yeah: 'yes', yep: 'yes', yup: 'yes', absolutely: 'absolutely', course: 'of course', ahead: 'go ahead', good: 'sounds good',
};

/** Words that may stand beside a head word in the grammar decode of an answer we believe. */
const ASSENT = new Set([...Object.keys(HEADS), 'please', 'fine', "that's", 'sure', 'of', 'go', 'sounds']);

/** Assent-looking words: a grammar decode holding one of these without passing the checks scores 0. */
const AFFIRM_LIKE = new Set([...ASSENT, 'okay', 'ok']);

/** In the free decode or its alternatives, any of these vetoes an affirmative. */
const VETO = new Set([
  'no', 'not', 'nope', 'nah', 'know', 'now', 'never', "don't", 'do', "can't", "won't", 'stop', 'rather', "i'd", 'thanks', 'thank',
  'maybe', 'guess', 'whatever', 'what', 'why', 'text', 'nothing', 'none', 'neither', 'nor',
]);

export interface LmWord {
  readonly word: string;
  /** Lattice posterior (0..1) from pocketsphinx_batch's CTM output. */
  readonly posterior: number;
}

export interface AnswerDecodes {
  /** Words of the answer-grammar decode (fillers included). */
  readonly grammar: string;
  /** Words of the free language-model decode, with posteriors. */
  readonly lm: readonly LmWord[];
  /** The language model's N-best alternatives (texts). */
  readonly nbest: readonly string[];
}

export type AnswerVerdict =
  | { readonly kind: 'trusted-affirmative'; readonly score: 1 }
  | { readonly kind: 'unverified-affirmative'; readonly score: 0; readonly failed: string }
  | { readonly kind: 'other'; readonly score: number };

function content(text: string): string[] {
  return text.split(' ').filter((w) => w && !FILLERS.has(w));
}

/**
 * The confidence score of a consent answer. A believed affirmative scores 1; an affirmative-looking
 * decode that fails any check scores 0 (the classifier then says unclear); anything else (refusals,
 * hedges, noise) keeps the two decodes' agreement, so a clearly heard "no" can still be `declined`.
 */
export function judgeAnswer(d: AnswerDecodes): AnswerVerdict {
  const g = content(d.grammar);
  const lmText = d.lm.map((w) => w.word).join(' ');
  if (!g.some((w) => AFFIRM_LIKE.has(w))) return { kind: 'other', score: agreement(lmText, d.grammar) };
  const fail = (failed: string): AnswerVerdict => ({ kind: 'unverified-affirmative', score: 0, failed });
  if (!g.every((w) => ASSENT.has(w))) return fail('grammar decode holds a word outside the trusted assent set');
  const heads = new Set(g.map((w) => HEADS[w]).filter((h): h is string => h !== undefined));
  if (heads.size === 0) return fail('no trusted head word (okay, sure and fine alone are not trusted)');
  if (content(lmText).some((w) => VETO.has(w))) return fail('free decode holds a refusal or hedge word');
  if (d.nbest.some((h) => content(h).some((w) => VETO.has(w)))) return fail('an N-best alternative holds a refusal or hedge word');
  const confirmed = d.lm.some((w) => heads.has(HEADS[w.word] ?? '') && w.posterior >= MIN_HEAD_POSTERIOR);
  if (!confirmed) return fail('free decode does not confirm the head word with enough posterior');
  return { kind: 'trusted-affirmative', score: 1 };
}

/** Shared content words of two decodes over all their content words (0 when either heard nothing). */
export function agreement(a: string, b: string): number {
  const x = new Set(content(a));
  const y = new Set(content(b));
  if (x.size === 0 || y.size === 0) return 0;
  const shared = [...x].filter((w) => y.has(w)).length;
  return shared / new Set([...x, ...y]).size;
}
