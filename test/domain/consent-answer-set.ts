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
 * The files of each set: `dev` is the development set the rules are tuned against (dev.tsv and dev-2.tsv,
 * the first held-out half, seen once it was scored); `heldout` is fresh-heldout.tsv, written and labelled
 * before the classifier ran on it and never tuned against (the fixture README says how).
 */
const FILES: Readonly<Record<'dev' | 'heldout', readonly string[]>> = {
  dev: ['dev.tsv', 'dev-2.tsv'],
  heldout: ['fresh-heldout.tsv'],
};

export function readAnswerSet(name: 'dev' | 'heldout'): LabelledAnswer[] {
  return FILES[name].flatMap((f) => readAnswerFile(f));
}

function readAnswerFile(name: string): LabelledAnswer[] {
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
