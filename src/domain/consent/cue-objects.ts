/**
 * The texts as the object of the cue before them (one role): "go ahead and text", "yes please text", "sure, text".
 *
 * The lexicon matches its longest phrase first, so "go ahead and text" was read as "go ahead" (a go-ahead that may
 * be said to anyone: "go ahead and send the tech"), "and", then "text" as a neutral word: the answer held no cue
 * naming texts, and every remark after it was read as strictly as after a bare go-ahead (dev-30's misses,
 * test/fixtures/consent-answers/README.md: "Yes, go ahead and text. Heads up, we have two cats"). A word of texting
 * that the lexicon left neutral right after a cue, or after a cue and "and", is that cue's object: the cue names
 * texts. Only a neutral texting word joins (never a refusal: "yes no texts" stays one), and what follows it is
 * judged as before (a recipient after it, "go ahead and text my wife", is still another recipient: answer-shape.ts).
 * Why: src/domain/consent/README.md, "The texts as the cue's object".
 */
import type { Token } from './answer-shape.ts';

const TEXTING_OBJECT = new Set(['text', 'texts', 'texting', 'message', 'messages', 'a text', 'the text', 'the texts']);
/**
 * After these the texting word is not the cue's object: a verb with another person or a determined noun as its object
 * ("yeah text my friend", "yes text the homeowner"), or the subject of a sentence of its own ("yes texting is my preferred way").
 */
const NOT_AN_OBJECT = new Set([
  'my', 'our', 'his', 'her', 'their', 'him', 'them', 'the', 'a', 'an', 'your', 'this', 'that', 'is', 'are', 'was', 'would', 'will', 'works',
]);

export function readCueObjects(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = out[out.length - 1];
    if (t.tag === 'context' && TEXTING_OBJECT.has(t.words.join(' ')) && prev !== undefined && !NOT_AN_OBJECT.has(tokens[i + 1]?.words[0] ?? '')) {
      if (prev.tag === 'affirm') {
        out[out.length - 1] = { tag: 'affirm', words: [...prev.words, ...t.words] };
        continue;
      }
      const cue = out[out.length - 2];
      if (prev.tag === 'filler' && prev.words.join(' ') === 'and' && cue?.tag === 'affirm') {
        out.splice(out.length - 2, 2, { tag: 'affirm', words: [...cue.words, ...prev.words, ...t.words] });
        continue;
      }
    }
    out.push(t);
  }
  return out;
}
