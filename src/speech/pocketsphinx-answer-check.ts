/**
 * How far a PocketSphinx consent answer may be trusted (nothing unclear may count as yes). Its 16 kHz
 * model hears 8 kHz telephone audio badly and both decodes make the same mistakes ("no thanks" → "okay"),
 * so an affirmative is believed only on a trusted head word in the grammar decode, the same word with
 * posterior ≥ MIN_HEAD_POSTERIOR in the free decode, and no refusal, hedge or question word in any
 * N-best alternative. Rules and measurements: src/speech/README.md, "PocketSphinx fallback";
 * test/speech/pocketsphinx-consent-matrix.ts.
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
  /** `words`: what the refusal rests on, as one of the decodes heard it (the transcript reported). */
  | { readonly kind: 'confirmed-refusal'; readonly score: 1; readonly words: string; readonly rule: string }
  | { readonly kind: 'other'; readonly score: number };

/** Grammar words that refuse; with `REFUSAL_COMPANIONS` the only words a refusal's grammar decode may hold. */
const REFUSAL = new Set(['no', 'nope', "don't", 'not', 'never', 'stop']);
const REFUSAL_COMPANIONS = new Set([...REFUSAL, 'do', 'thanks', 'thank', 'you']);
/** How the free decode hears a lone "no" once its /n/ is lost (measured: "No." → "oh" at 0.57–0.74). */
const BARE_NO = new Set(['oh', 'o', 'ohh', 'no', 'know']);
/** Free-decode refusal words that count when the grammar decode heard only "okay" ("please don't" → "okay"). */
const FREE_REFUSAL = new Set(['no', 'nope', 'not', "don't"]);
/**
 * A lone "no"/"oh" in the free decode confirms a grammar refusal at this posterior or more (measured:
 * refusals 0.52–0.98; it is also what "Okay." gives, which is why the grammar decode must refuse too).
 */
export const MIN_BARE_NO_POSTERIOR = 0.5;
/** A refusal word in the free decode counts against a grammar "okay" at this posterior (measured: "don't" 0.37–0.62). */
export const MIN_FREE_REFUSAL_POSTERIOR = 0.3;

function content(text: string): string[] {
  return text.split(' ').filter((w) => w && !FILLERS.has(w));
}

/**
 * The confidence score of a consent answer. A believed affirmative scores 1; then a confirmed refusal
 * (`confirmedRefusal`) scores 1; an affirmative-looking decode that fails any check scores 0 (the
 * classifier then says unclear); anything else (hedges, noise, unconfirmed refusals) keeps the two
 * decodes' agreement.
 */
export function judgeAnswer(d: AnswerDecodes): AnswerVerdict {
  const affirmative = judgeAffirmative(d);
  if (affirmative.kind === 'trusted-affirmative') return affirmative;
  return confirmedRefusal(d) ?? affirmative;
}

/**
 * A refusal is believed (`declined`, not `unclear`) only when the free decode backs what the grammar
 * decode heard; a trusted affirmative is never reconsidered (judgeAnswer). The three rules, what was
 * rejected and the measurements: src/speech/README.md, "Refusals". The words reported are always words
 * a decode heard.
 */
export function confirmedRefusal(d: AnswerDecodes): Extract<AnswerVerdict, { kind: 'confirmed-refusal' }> | null {
  const g = content(d.grammar);
  const free = content(d.lm.map((w) => w.word).join(' '));
  const refusing = g.length > 0 && g.every((w) => REFUSAL_COMPANIONS.has(w)) && g.some((w) => REFUSAL.has(w));
  const heard = (rule: string, words: readonly string[]) => ({ kind: 'confirmed-refusal', score: 1, words: words.join(' '), rule }) as const;
  if (refusing && (g.includes('no') || g.includes('nope'))) {
    const alternatives = [free, ...d.nbest.map(content)];
    if (alternatives.some((a) => a.includes('no') || a.includes('nope'))) return heard('grammar refusal, "no" in the free decode', g);
  }
  const only = d.lm.length === 1 ? d.lm[0] : undefined;
  if (refusing && only !== undefined && BARE_NO.has(only.word) && only.posterior >= MIN_BARE_NO_POSTERIOR) {
    return heard('grammar refusal, a lone "no" in the free decode', g);
  }
  if (g.length > 0 && g.every((w) => w === 'okay') && d.lm.some((w) => FREE_REFUSAL.has(w.word) && w.posterior >= MIN_FREE_REFUSAL_POSTERIOR)) {
    return heard('grammar "okay", a refusal word in the free decode', free);
  }
  return null;
}

/** The affirmative checks (1–3 of the header); anything that is not affirmative-looking is `other`. */
function judgeAffirmative(d: AnswerDecodes): AnswerVerdict {
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

/**
 * What the transcriber reports for a consent answer: the grammar decode's words (the answer vocabulary
 * the classifier knows) and `judgeAnswer`'s score as the confidence; for a confirmed refusal, the words
 * it rests on with score 1, so the classifier records `declined`.
 */
export function answerTranscript(d: AnswerDecodes): { readonly text: string; readonly score: number } {
  const v = judgeAnswer(d);
  // A confirmed refusal reports the words it rests on (fillers dropped: "uh uh" would read as "uh-uh").
  return v.kind === 'confirmed-refusal' ? { text: v.words, score: 1 } : { text: d.grammar, score: v.score };
}

/** Shared content words of two decodes over all their content words (0 when either heard nothing). */
export function agreement(a: string, b: string): number {
  const x = new Set(content(a));
  const y = new Set(content(b));
  if (x.size === 0 || y.size === 0) return 0;
  const shared = [...x].filter((w) => y.has(w)).length;
  return shared / new Set([...x, ...y]).size;
}
