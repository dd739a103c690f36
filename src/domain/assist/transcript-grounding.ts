/**
 * Whether words and numbers are in a transcript: the test every assisted field must pass ("nothing
 * invented"). Words match whole, or by a shared simple stem ("leaking", "leaky" and "leak"; "pipes" and
 * "pipe"), or through a street abbreviation ("St" and "street"). Numbers match digit for digit, whether the
 * recognizer wrote digits or words ("five one two" is 512). Pure; no model is trusted here.
 */
export class TranscriptGrounding {
  private readonly words: readonly string[];
  private readonly stems = new Set<string>();
  private readonly exact = new Set<string>();
  /** Every run of consecutive digits and digit words, concatenated ("(512) 555-0199" → "5125550199"). */
  private readonly digitRuns: readonly string[];
  private readonly joined: string;

  constructor(transcript: string) {
    this.words = tokenize(transcript);
    for (const w of this.words) {
      this.exact.add(w);
      for (const s of stemsOf(w)) this.stems.add(s);
    }
    this.digitRuns = digitRunsOf(this.words);
    this.joined = ` ${this.words.join(' ')} `;
  }

  /** The word is said, exactly (case aside): for names. */
  hasExactWord(word: string): boolean {
    return this.exact.has(word.toLowerCase());
  }

  /** The word is said, or a form of it, or its street abbreviation's long form (or the other way). */
  hasWord(word: string): boolean {
    const w = word.toLowerCase();
    const forms = [w, ...(ABBREVIATIONS[w] ?? [])];
    return forms.some((f) => stemsOf(f).some((s) => this.stems.has(s)));
  }

  /** A number said as such: "42" in "42 Oak Street", never the "99" inside a phone number. */
  hasNumber(digits: string): boolean {
    return digits.length > 0 && (this.exact.has(digits) || this.digitRuns.includes(digits));
  }

  /** A phone number said digit for digit, possibly after a country code ("1 512 555 0199"). */
  hasPhoneDigits(digits: string): boolean {
    return digits.length >= 7 && this.digitRuns.some((r) => r === digits || (r.endsWith(digits) && r.length - digits.length <= 3));
  }

  /** The words appear together, in order, as said (punctuation and case aside). */
  hasPhrase(phrase: string): boolean {
    const t = tokenize(phrase);
    return t.length > 0 && this.joined.includes(` ${t.join(' ')} `);
  }

  /**
   * Every word of `text` is said (or is one of `free`, words that carry nothing of their own) and every
   * number in it is said; at least one word must come from the transcript.
   */
  grounds(text: string, free: ReadonlySet<string>): boolean {
    const tokens = tokenize(text);
    let fromTranscript = 0;
    for (const t of tokens) {
      if (/^\d+$/.test(t)) {
        if (!this.hasNumber(t)) return false;
        fromTranscript++;
      } else if (this.hasWord(t)) {
        fromTranscript++;
      } else if (!free.has(t)) {
        return false;
      }
    }
    return fromTranscript > 0;
  }
}

/** Lower case, curly apostrophes made straight, split on anything but letters, digits and inner apostrophes. */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .split(/[^a-z0-9']+/)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w !== '');
}

const DIGIT_WORDS: Readonly<Record<string, string>> = {
  zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};

function digitRunsOf(words: readonly string[]): string[] {
  const runs: string[] = [];
  let run = '';
  for (const w of words) {
    const d = /^\d+$/.test(w) ? w : DIGIT_WORDS[w];
    // "oh" only counts inside a run of digits ("five five five oh one nine nine"), never alone.
    if (d !== undefined && !(w === 'oh' && run === '')) {
      run += d;
    } else if (run !== '') {
      runs.push(run);
      run = '';
    }
  }
  if (run !== '') runs.push(run);
  return runs;
}

const ABBREVIATIONS: Readonly<Record<string, readonly string[]>> = {
  st: ['street', 'saint'], street: ['st'], ave: ['avenue'], avenue: ['ave'], rd: ['road'], road: ['rd'], dr: ['drive'],
  drive: ['dr'], ln: ['lane'], lane: ['ln'], blvd: ['boulevard'], boulevard: ['blvd'], ct: ['court'], court: ['ct'],
  apt: ['apartment'], apartment: ['apt'], hwy: ['highway'], highway: ['hwy'], pkwy: ['parkway'], parkway: ['pkwy'],
  n: ['north'], s: ['south'], e: ['east'], w: ['west'], north: ['n'], south: ['s'], east: ['e'], west: ['w'],
};

/** The forms a word may share with another: itself and what is left after one common English ending. */
function stemsOf(word: string): string[] {
  const w = word.replace(/'s$/, '');
  const out = new Set([w]);
  const cut = (suffix: string, add = ''): void => {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      const base = w.slice(0, w.length - suffix.length) + add;
      out.add(base);
      // "clogged" → "clogg" → "clog"; "running" → "runn" → "run"
      if (/([b-df-hj-np-tv-z])\1$/.test(base)) out.add(base.slice(0, -1));
    }
  };
  cut('ies', 'y');
  cut('es');
  cut('s');
  cut('ing');
  cut('ing', 'e');
  cut('ed');
  cut('ed', 'e');
  cut('y');
  return [...out];
}
