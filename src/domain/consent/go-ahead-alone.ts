import { BARE_YES } from './affirmative-phrases.ts';
import { namesTexts, type Token } from './answer-shape.ts';
import { ENDEARMENT } from './disqualifier-phrases.ts';
import { GO_AHEAD } from './remark-clauses.ts';

const ENDEARMENTS: ReadonlySet<string> = new Set(ENDEARMENT);
/**
 * What a lone go-ahead may have beside it and still answer this question: a filler, thanks, polite address, a remark
 * favouring texts ("go ahead and let me know"). Not a backchannel: "mm hmm go ahead" may be "go on, I'm listening"
 * (dev-66's writer; dev-6's writer read it as a yes: the stricter reading).
 */
const BESIDE_A_GO_AHEAD = new Set<Token['tag']>(['affirm', 'filler', 'polite', 'remark']);
/** Words of the offer's terms: a go-ahead beside them answers the offer ("i know about the rates, go ahead"). */
const THE_OFFER = new Set(['rates', 'rate', 'charges', 'fees']);
/** After these an endearment's word is a noun ("I've got a baby on my hip"), not said to anyone. */
const DETERMINERS = new Set(['a', 'the', 'my', 'our', 'her', 'his', 'their', 'your', 'this', 'that']);

/**
 * A go-ahead with no other consent in the answer and the texts not named, beside words of its own: "Go ahead, the
 * keys are on the counter.", "go ahead baby the remotes on the couch", "Sure sweetie, go ahead.". It may be said to
 * someone present (dev-61's false opt-ins, written blind): only a go-ahead that stands alone ("go ahead", "yes go
 * ahead"), that names the texts ("go ahead and text me, the keys are under the mat") or their terms ("I know about
 * the rates, go ahead"), or that stands beside a yes and no term of endearment ("sure, go ahead, I locked my keys in
 * the car") answers this question. "go on" without the texts named is "keep talking" ("yes go on"), whatever yes is beside
 * it; "go on then" agrees.
 */
export function goAheadAlone(tokens: readonly Token[]): boolean {
  const cues = tokens.filter((t) => t.tag === 'affirm');
  const goAheads = cues.filter((t) => GO_AHEAD.test(t.words.join(' ')));
  if (goAheads.length === 0 || namesTexts(tokens) || tokens.some((t) => t.words.some((w) => THE_OFFER.has(w)))) return false;
  // "yes go on", "okay go on": "keep talking, I'm listening" (heldout-20's false opt-in, dev-70), closing the answer beside
  // only bare yeses; "go on then" agrees, "go on and send it" and "that's grand, go on" answer
  const goOn = tokens.findIndex((t) => t.tag === 'affirm' && t.words.join(' ') === 'go on');
  if (goOn >= 0 && tokens.slice(goOn + 1).every((t) => t.tag === 'filler' || t.tag === 'polite' || (t.tag === 'affirm' && t.words.join(' ') === 'go on'))) {
    if (cues.every((t) => t.words.join(' ') === 'go on' || BARE_YES.has(t.words.join(' ')))) return true;
  }
  const words = tokens.flatMap((t) => t.words);
  const endeared = words.some((w, k) => ENDEARMENTS.has(w) && !DETERMINERS.has(words[k - 1] ?? ''));
  // a go-ahead and a bare yes said to someone present ("Sure sweetie, go ahead.")
  if (endeared && cues.every((t) => goAheads.includes(t) || BARE_YES.has(t.words.join(' ')))) return true;
  // a go-ahead alone beside words of its own ("go ahead, it's in the top drawer")
  return cues.length === goAheads.length && tokens.some((t) => !BESIDE_A_GO_AHEAD.has(t.tag));
}
