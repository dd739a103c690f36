/**
 * The words the consent classifier knows, each phrase tagged and matched whole, longest first ("no
 * problem" is one affirmative before "no" could be a refusal). The phrases live in affirmative-phrases.ts
 * and disqualifier-phrases.ts; what each tag means: src/domain/consent/README.md.
 */
import { affirmatives, BACKCHANNEL, CONTEXT, FILLER, FOREIGN_YES, POLITE, textingRemarks } from './affirmative-phrases.ts';
import { termsAcknowledged } from './terms-acknowledged.ts';
import { ACK, ADDRESS, ASIDE, BEFORE_THE_VISIT, CONDITION, PAST, VISIT, ENDEARMENT, IDENTITY, JOB, CONTRAST, HEDGE, INJECTION, NEGATE, NEGATOR, NOISE, PEOPLE, QUESTION, REDIRECT, SARCASM, SETTLED } from './disqualifier-phrases.ts';

export type LexTag =
  | 'affirm' | 'backchannel' | 'remark' | 'negate' | 'negator' | 'hedge' | 'question' | 'contrast' | 'condition' | 'sarcasm'
  | 'aside' | 'redirect' | 'injection' | 'noise' | 'filler' | 'polite' | 'context'
  // read by the words around them (rule-consent-classifier.ts, readInContext): each becomes neutral or a disqualifier
  | 'ack' | 'endearment' | 'address' | 'job' | 'identity' | 'visit' | 'past' | 'foreign';

/** Spellings an ASR commonly emits, mapped to the lexicon's spelling. */
export const SPELLING: Readonly<Record<string, string>> = {
  ok: 'okay', k: 'okay', kk: 'okay', kay: 'okay', okey: 'okay', 'o.k.': 'okay', yea: 'yeah', ya: 'yeah', yah: 'yeah',
  yeh: 'yeah', yess: 'yes', yesss: 'yes', yas: 'yes', yessir: 'yes sir', mam: 'ma\'am', maam: 'ma\'am', dont: 'don\'t', thats: 'that\'s',
  im: 'i\'m', id: 'i\'d', ill: 'i\'ll', cant: 'can\'t', wont: 'won\'t', its: 'it\'s', doesnt: 'doesn\'t', didnt: 'didn\'t', isnt: 'isn\'t',
  wouldnt: 'wouldn\'t', thx: 'thanks', thanx: 'thanks', alrighty: 'alright', aight: 'alright', mmhm: 'mhm', mhmm: 'mhm', mmm: 'hmm',
  hm: 'hmm', hmmm: 'hmm', naa: 'nah', uhhuh: 'uh huh', uhuh: 'uh uh', thankyou: 'thank you', whats: 'what', 'what\'s': 'what',
  'who\'s': 'who', okaaay: 'okay', noo: 'no', nooo: 'no', yeahh: 'yeah', nevermind: 'never mind',
  pleas: 'please', plea: 'please', ight: 'alright', sms: 'text', ahed: 'ahead', ahaed: 'ahead', ahea: 'ahead', plz: 'please', pls: 'please', yall: 'y\'all', youre: 'you\'re', theyre: 'they\'re', hes: 'he\'s', shes: 'she\'s', ive: 'i\'ve', couldnt: 'couldn\'t', shouldnt: 'shouldn\'t',
  arent: 'aren\'t', wasnt: 'wasn\'t', havent: 'haven\'t', lets: 'let\'s', thatll: 'that\'ll', thatd: 'that\'d', itll: 'it\'ll', youll: 'you\'ll',
  // slips that keep the meaning ("you can tex me", "text massages", "why knot") and regional, slang and
  // bilingual yes-words written as one word ("yuh", "ayup", "yes'm", "fasho", "ofc", "mkay"; "haanji" is "haan ji", a foreign yes)
  tex: 'text', massages: 'messages', massage: 'message', knot: 'not', yuh: 'yeah', ayuh: 'yeah', ayup: 'yeah',
  'yes\'m': 'yes ma\'am', yesm: 'yes ma\'am', yessum: 'yes ma\'am', fasho: 'for sure', fosho: 'for sure', ofc: 'of course',
  'text\'s': 'text is', 'when\'s': 'when is', 'where\'s': 'where is', 'how\'s': 'how is', wha: 'what', thang: 'thing', yessiree: 'yes siree', yessirree: 'yes siree', mkay: 'okay', mmkay: 'okay', 'm\'kay': 'okay', haanji: 'haan ji',
  // slang and recognizer spellings: "yass", "totes", "send 'em"
  yass: 'yes', yasss: 'yes', yez: 'yes', totes: 'totally', em: 'them',
};

/**
 * Slips a recognizer makes over two words that keep the meaning, as the blind writers hear them in every set
 * (dev-30, dev-40, dev-43, dev-49, dev-51, dev-53, dev-54 `*-slip`, `yes-misrecognized`): "texas me", "sounds could",
 * "go had". Matched on whole words only. Each maps to the phrase meant; none of the slips is an answer of its own
 * kind (no "texas me" is a refusal), and the phrase meant is judged by every rule as if said.
 */
/**
 * "text" as writing, not a message: "the text on the warranty", "the text of the contract", "the owner's manual text"
 * (dev-64's false opt-ins: a bare yes beside them read as a yes naming texts). The word is read as "wording" there.
 */
const WRITTEN_THINGS: ReadonlySet<string> = new Set([
  'warranty', 'contract', 'manual', 'label', 'sticker', 'sign', 'box', 'page', 'paper', 'website', 'invoice', 'receipt', 'bill', 'letter',
  'document', 'form', 'book', 'bible', 'screen', 'plaque', 'tag', 'packaging', 'instructions', 'agreement', 'policy', 'estimate', 'quote',
]);

/** The words with "text" as writing read as "wording" ("the text of the contract", "the manual text"). */
export function readAsWriting(words: readonly string[]): string[] {
  const writing = (i: number): boolean =>
    words[i] === 'text' &&
    ((words[i - 1] === 'the' && (words[i + 1] === 'of' || (['on', 'in'].includes(words[i + 1] ?? '') && WRITTEN_THINGS.has(words[i + 3] ?? '')))) || WRITTEN_THINGS.has(words[i - 1] ?? ''));
  return words.map((w, i) => (writing(i) ? 'wording' : w));
}
export const SLIPS: Readonly<Record<string, string>> = {
  'texas me': 'text me', 'texas us': 'text us', 'text may': 'text me', 'sounds could': 'sounds good', 'sound could': 'sounds good',
  'sound school': 'sounds cool', 'sound scud': 'sounds good', 'go had': 'go ahead', 'go a head': 'go ahead', 'absolute lee': 'absolutely',
  'that\'s finer': 'that\'s fine', 'that\'s final': 'that\'s fine',
};
/** Slips only at the very start of the answer, where the word cannot be meant ("shore that's fine", "yet that's fine"). */
export const OPENING_SLIPS: Readonly<Record<string, string>> = { shore: 'sure', yet: 'yeah' };

export interface LexEntry {
  readonly words: readonly string[];
  readonly tag: LexTag;
}

/** "I'm at the hospital with my mom": a person named beside "with" or "at" is where the caller is, not a recipient. */
function whereabouts(): string[] {
  const out: string[] = [];
  for (const p of [...PEOPLE, 'mom', 'dad', 'kids']) {
    for (const pre of ['with my', 'with the', 'at my', 'with']) out.push(`${pre} ${p}`, `${pre} ${p}'s`);
  }
  return out;
}

/**
 * Phrases by first word, each list longest first, so a greedy scan picks the longest match at each position.
 * A phrase listed in two groups belongs to the first.
 */
export function buildLexicon(): ReadonlyMap<string, readonly LexEntry[]> {
  const groups: Array<[LexTag, readonly string[]]> = [
    ['affirm', affirmatives()], ['backchannel', BACKCHANNEL], ['remark', textingRemarks()], ['negate', NEGATE], ['negator', NEGATOR],
    ['context', BEFORE_THE_VISIT], ['past', PAST], ['hedge', HEDGE], ['question', QUESTION], ['contrast', CONTRAST], ['condition', CONDITION], ['sarcasm', SARCASM], ['aside', ASIDE],
    ['ack', [...ACK, ...SETTLED]], ['endearment', ENDEARMENT], ['address', ADDRESS], ['job', JOB],
    ['redirect', [...REDIRECT, ...PEOPLE, ...PEOPLE.map((p) => `${p}'s`)]], ['identity', IDENTITY], ['visit', VISIT], ['injection', INJECTION], ['noise', NOISE], ['foreign', FOREIGN_YES],
    ['filler', FILLER], ['polite', POLITE], ['context', [...CONTEXT, ...whereabouts(), ...termsAcknowledged()]],
  ];
  const seen = new Set<string>();
  const index = new Map<string, LexEntry[]>();
  for (const [tag, phrases] of groups) {
    for (const p of phrases) {
      if (seen.has(p)) continue;
      seen.add(p);
      const words = p.split(' ');
      const list = index.get(words[0]!) ?? [];
      list.push({ words, tag });
      index.set(words[0]!, list);
    }
  }
  for (const list of index.values()) list.sort((a, b) => b.words.length - a.words.length);
  return index;
}

/**
 * Whole answers that Whisper is known to produce from silence or line noise (it was trained on subtitled
 * video): they say nothing about consent, so they can never grant.
 */
export const HALLUCINATIONS: readonly string[] = [
  'thank you', 'thank you.', 'thanks for watching', 'thank you for watching', 'thanks for listening', 'thank you for listening',
  'you', 'bye', 'thank you very much', 'thank you so much', 'thanks', 'please subscribe', 'subscribe', 'like and subscribe',
  'subtitles by the amara org community', 'i\'m sorry', 'so', 'the end', 'see you next time', 'see you in the next video',
  'i\'ll see you next time', 'thank you bye', 'bye bye', 'oh', 'uh', 'um', 'hmm',
];
