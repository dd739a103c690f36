import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConsentClassifier, ConsentDecision } from '../../src/domain/ports/consent-classifier.ts';

/** One line of test/fixtures/consent-answers/*.tsv (README.md there says how it was labelled and split). */
export interface LabelledAnswer {
  readonly category: string;
  readonly label: 'G' | 'D' | 'U';
  readonly text: string;
}

/**
 * The development files, all tuned against and read line by line (test/fixtures/consent-answers/README.md
 * says how each was written and labelled): dev.tsv and dev-2.tsv (the first set and its seen held-out
 * half), dev-3.tsv (the fresh held-out set, scored and then made development), dev-4.tsv (edge cases of the
 * cue-and-disqualifier rules, labelled before the classifier ran on them), dev-5.tsv (natural answers
 * written after the redesign, committed before the classifier ran on them, scored once as a first look),
 * dev-6.tsv (the second held-out set, written blind by another hand, scored once, then read), dev-7.tsv (the
 * causes of dev-6's misses in other words and their hard negatives), dev-8.tsv (natural answers, a first
 * look after the dev-6 fixes) and dev-9.tsv (the classes of heldout-3's false opt-ins and the yeses beside
 * them), each labelled and committed before the classifier ran on it; dev-10.tsv (the third held-out set,
 * written blind by another hand as heldout-3.tsv, scored once for counts, then read); dev-11.tsv (dev-10's
 * causes in other words and their hard negatives), dev-12.tsv (natural answers by persona, a first look after
 * the dev-10 fixes), dev-13.tsv (dev-12's causes and their hard negatives), dev-14.tsv (natural answers, a
 * second first look), dev-15.tsv (digits for a yes and numbers beside them), dev-16.tsv (natural answers, a
 * third first look), dev-17.tsv (dev-16's causes and their hard negatives), dev-18.tsv (hard non-grants
 * against the rules widened for dev-10), dev-19.tsv ("stop" as a verb, terms of address) and dev-20.tsv
 * (thanks for something, a gate code or unit), dev-21.tsv (a past time for the problem, "no rush") and
 * dev-22.tsv (natural idioms and recognizer output, a fourth first look), each labelled and committed before
 * the classifier ran on it; dev-23.tsv (the fourth held-out set, written blind by another hand as
 * heldout-4.tsv, scored once for counts, then read); dev-24.tsv (dev-23's causes in other words and the hard
 * non-grants an open design could let through) and dev-25.tsv (natural answers after the redesign, a fifth
 * first look), each labelled and committed before the classifier ran on it; dev-26.tsv (heldout-5's false
 * opt-ins as classes), labelled and committed before the classifier ran on it; dev-27.tsv (the fifth held-out
 * set, written blind by another hand as heldout-5.tsv, scored once for counts, then read); dev-28.tsv (dev-27's
 * miss classes in other words and their hard non-grants) and dev-29.tsv (heldout-6's false opt-ins as classes), each
 * labelled and committed before the classifier ran on it; dev-30.tsv (the sixth held-out set, written blind by
 * another hand as heldout-6.tsv, scored once for counts, then read); dev-31.tsv (dev-30's biggest miss classes in
 * other words and their hard non-grants), labelled and committed before the classifier ran on it; dev-32.tsv (heldout-7's
 * false opt-ins as classes), labelled and committed before the classifier ran on it; dev-33.tsv (the seventh held-out
 * set, written blind by another hand as heldout-7.tsv, scored once for counts, then read); dev-34.tsv (dev-33's
 * biggest miss classes in other words and their hard non-grants) and dev-35.tsv (the prompt's terms said back before the
 * yes, and their hard non-grants), each labelled and committed before the classifier ran on it; dev-36.tsv (heldout-8's
 * false opt-ins as classes), labelled and committed before the classifier ran on it; dev-37.tsv (the eighth held-out
 * set, written blind by another hand as heldout-8.tsv, scored once for counts, then read); dev-38.tsv (dev-37's
 * biggest miss classes in other words and their hard non-grants) and dev-39.tsv (dev-37's "prompt asked again" class),
 * each labelled and committed before the classifier ran on it; dev-40.tsv (the ninth held-out set, written blind by
 * another hand as heldout-9.tsv, scored once for counts, then read); dev-41.tsv (dev-40's "problem before the yes"
 * class and its hard non-grants), labelled and committed before the classifier ran on it; dev-42.tsv (heldout-10's
 * false opt-in, a limit on the count of texts, as a class with the grants beside it), labelled and committed before
 * the classifier ran on it; dev-43.tsv (the tenth held-out set, written blind by another hand as heldout-10.tsv,
 * scored once for counts, then read); dev-44.tsv (dev-43's "who the caller is" class narrowed to the caller's
 * introduction before a consent phrase naming texts, and its hard non-grants), labelled and committed before the
 * classifier ran on it; dev-45.tsv (heldout-11's false opt-in, a yes then an ironic "exactly what I wanted", as a
 * sarcasm class with the sincere grants beside it), labelled and committed before the classifier ran on it;
 * dev-46.tsv (the eleventh held-out set, written blind by another hand as heldout-11.tsv, scored once for counts,
 * then read); dev-47.tsv (dev-46's "problem after a consent phrase" class and its hard non-grants), labelled and
 * committed before the classifier ran on it; dev-48.tsv (heldout-12's false opt-in, an okay with only "then", "so" or
 * "well" beside it, as a class with the grants beside it), labelled and committed before the classifier ran on it;
 * dev-49.tsv (the twelfth held-out set, written blind by another hand as heldout-12.tsv, scored once for counts,
 * then read); dev-50.tsv (heldout-13's five false-opt-in classes in other words with the grants beside them), written
 * by another hand blind to the classifier and committed before the classifier ran on it; dev-51.tsv (the thirteenth
 * held-out set, written blind by another hand as heldout-13.tsv, scored once for counts, then read); dev-52.tsv
 * (heldout-14's three false-opt-in classes in other words with the grants beside them), written by another hand blind
 * to the classifier and committed before the classifier ran on it; dev-53.tsv (the fourteenth held-out set, written
 * blind by another hand as heldout-14.tsv, scored once for counts, then read); dev-54.tsv (the fifteenth held-out
 * set, written blind by another hand as heldout-15.tsv, scored once for counts, then read); dev-55.tsv (the sixteenth
 * held-out set, written blind by another hand as heldout-16.tsv, scored once for counts, then read); dev-56.tsv
 * (heldout-17's two false-opt-in classes in other words with the grants beside them), written by another hand blind to
 * the classifier and committed before the classifier ran on it; dev-57.tsv (the seventeenth held-out set, written blind
 * by another hand as heldout-17.tsv, scored once for counts, then read); dev-58.tsv (heldout-18's false-opt-in class in
 * other words with the grants beside it), written by another hand blind to the classifier and committed before the
 * classifier ran on it; dev-59.tsv (the eighteenth held-out set, written blind by another hand as heldout-18.tsv,
 * scored once for counts, then read); dev-60.tsv (the problem described with a negation or a time, and the caller
 * unable to take a call, each beside a consent phrase, with their hard non-grants), written by another hand blind to the
 * classifier and committed before the classifier ran on it; dev-61.tsv (the caller's reading closing a remark, a
 * correction to a child or a dog after the yes, and a lone go-ahead beside words that may be said to someone present,
 * with their hard non-grants), written by another hand blind to the classifier and committed before the classifier ran
 * on it; dev-62.tsv (a red-team file: answers that hold yes-words or consent phrases but are not consent to texts at
 * this number, with clear grants beside them), written by another hand blind to the classifier and committed before
 * the classifier ran on it; dev-63.tsv (a second red-team file), written by another hand blind to the classifier and
 * committed before the classifier ran on it; dev-64.tsv and dev-65.tsv (a third and a fourth red-team file), written by
 * other hands blind to the classifier and committed before the classifier ran on them; dev-66.tsv and dev-67.tsv (a
 * fifth and a sixth red-team file), the same way; dev-68.tsv and dev-69.tsv (a seventh and an eighth), the same way;
 * dev-70.tsv (heldout-20's false-opt-in classes in other words with the grants beside them), written by another hand
 * blind to the classifier and committed before the classifier ran on it; dev-71.tsv and dev-72.tsv (a ninth and a
 * tenth red-team file), written by other hands blind to the classifier and committed before the classifier ran on them;
 * dev-73.tsv and dev-74.tsv (an eleventh and a twelfth), the same way.
 */
export const ANSWER_FILES = ['dev.tsv', 'dev-2.tsv', 'dev-3.tsv', 'dev-4.tsv', 'dev-5.tsv', 'dev-6.tsv', 'dev-7.tsv', 'dev-8.tsv', 'dev-9.tsv', 'dev-10.tsv', 'dev-11.tsv', 'dev-12.tsv', 'dev-13.tsv', 'dev-14.tsv', 'dev-15.tsv', 'dev-16.tsv', 'dev-17.tsv', 'dev-18.tsv', 'dev-19.tsv', 'dev-20.tsv', 'dev-21.tsv', 'dev-22.tsv', 'dev-23.tsv', 'dev-24.tsv', 'dev-25.tsv', 'dev-26.tsv', 'dev-27.tsv', 'dev-28.tsv', 'dev-29.tsv', 'dev-30.tsv', 'dev-31.tsv', 'dev-32.tsv', 'dev-33.tsv', 'dev-34.tsv', 'dev-35.tsv', 'dev-36.tsv', 'dev-37.tsv', 'dev-38.tsv', 'dev-39.tsv', 'dev-40.tsv', 'dev-41.tsv', 'dev-42.tsv', 'dev-43.tsv', 'dev-44.tsv', 'dev-45.tsv', 'dev-46.tsv', 'dev-47.tsv', 'dev-48.tsv', 'dev-49.tsv', 'dev-50.tsv', 'dev-51.tsv', 'dev-52.tsv', 'dev-53.tsv', 'dev-54.tsv', 'dev-55.tsv', 'dev-56.tsv', 'dev-57.tsv', 'dev-58.tsv', 'dev-59.tsv', 'dev-60.tsv', 'dev-61.tsv', 'dev-62.tsv', 'dev-63.tsv', 'dev-64.tsv', 'dev-65.tsv', 'dev-66.tsv', 'dev-67.tsv', 'dev-68.tsv', 'dev-69.tsv', 'dev-70.tsv', 'dev-71.tsv', 'dev-72.tsv', 'dev-73.tsv', 'dev-74.tsv'] as const;
/**
 * Held out: written by another hand blind to the classifier, scored for counts only (never read line by
 * line). heldout-19.tsv and heldout-20.tsv at present (heldout-18.tsv became dev-59.tsv); a new one is added here by
 * name, e.g. `['heldout-21.tsv'] as const satisfies readonly string[]`, with its threshold in the answer-set test. The
 * scorer and the tests also run with the list empty.
 */
export const HELD_OUT_FILES = ['heldout-19.tsv', 'heldout-20.tsv'] as const satisfies readonly string[];
export type AnswerFile = (typeof ANSWER_FILES)[number] | (typeof HELD_OUT_FILES)[number];

export function readAnswerFile(name: AnswerFile): LabelledAnswer[] {
  const file = fileURLToPath(new URL(`../fixtures/consent-answers/${name}`, import.meta.url));
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0 && !l.startsWith('#'))
    .map((l) => {
      const [category, label, text = ''] = l.split('\t');
      if (label !== 'G' && label !== 'D' && label !== 'U') throw new Error(`bad label in ${name}: ${l}`);
      return { category: category ?? '', label, text };
    });
}

export interface AnswerScore {
  readonly affirmatives: number;
  readonly granted: number;
  /** Lines labelled D or U that the classifier granted. */
  readonly falseOptIns: readonly LabelledAnswer[];
  readonly missed: readonly LabelledAnswer[];
  /** D lines judged declined, of all D lines. */
  readonly refusalsDeclined: number;
  readonly refusals: number;
}

/** Scores a classifier on a labelled set: recall of clear affirmatives, and every false opt-in. */
export function scoreAnswers(classifier: ConsentClassifier, set: readonly LabelledAnswer[]): AnswerScore {
  let granted = 0;
  let refusalsDeclined = 0;
  const falseOptIns: LabelledAnswer[] = [];
  const missed: LabelledAnswer[] = [];
  for (const a of set) {
    const d: ConsentDecision = classifier.classify({ transcript: a.text, confidence: 0.9 }).decision;
    if (a.label === 'G') {
      if (d === 'granted') granted++;
      else missed.push(a);
    } else if (d === 'granted') {
      falseOptIns.push(a);
    }
    if (a.label === 'D' && d === 'declined') refusalsDeclined++;
  }
  return {
    affirmatives: set.filter((a) => a.label === 'G').length,
    granted,
    falseOptIns,
    missed,
    refusalsDeclined,
    refusals: set.filter((a) => a.label === 'D').length,
  };
}
