/**
 * A time of the caller's set on the texts (one role): "text me when I'm off shift", "text me once I'm home", "message
 * us after we're back": a when-word joined straight to the word of texting, with the caller as its clause's subject,
 * says the texts may come only then. It is a condition, tagged as one so the classifier's disqualifiers see it, and it
 * is read after the remarks, so no remark rule relaxes it (a time in the caller's own remark, "yes text me, I'm off
 * shift after seven", is no when-word joined to the texts and stays the remark's). The job's time is what the texts are
 * about and is untouched: "text me when the tech is on the way", "once the part comes in", "when you have a time"
 * (earlier labels grant it). heldout-7's false opt-in, the class in other words in dev-32. Why: src/domain/consent/
 * README.md, "A limit on the texts".
 */
import { TEXT_ME_VERBS, type Token } from './answer-shape.ts';

const OBJECTS = new Set(['me', 'us']);
/** What may stand between the texts and the when-word ("text me only when", "text me just after"). */
const LIMITING = new Set(['only', 'just']);
/** The when-words; "as soon as" by its first two words. */
const WHEN_WORDS = new Set(['when', 'once', 'after', 'until', 'till', 'before']);
/** The caller, or the caller's household, as the subject of the clause that sets the time. */
const CALLER = new Set(['i', 'i\'m', 'i\'ve', 'i\'ll', 'we', 'we\'re', 'we\'ve', 'we\'ll', 'my', 'our']);

/** Retags the when-word of a time the caller set on the texts as a condition, splitting it from a phrase that swallowed it ("text me when"). */
export function readCallersTime(tokens: readonly Token[]): Token[] {
  // each word with the token it stands in and its place there
  const at = tokens.flatMap((t, ti) => t.words.map((w, wi) => ({ w, ti, wi })));
  const limited = new Map<number, number>();
  for (let k = 0; k < at.length; k++) {
    if (!TEXT_ME_VERBS.has(at[k]!.w)) continue;
    let j = k + 1;
    if (OBJECTS.has(at[j]?.w ?? '')) j++;
    if (LIMITING.has(at[j]?.w ?? '')) j++;
    const when = at[j];
    if (when === undefined) continue;
    const asSoonAs = when.w === 'as' && at[j + 1]?.w === 'soon' && at[j + 2]?.w === 'as';
    if (!WHEN_WORDS.has(when.w) && !asSoonAs) continue;
    if (!CALLER.has(at[j + (asSoonAs ? 3 : 1)]?.w ?? '')) continue;
    limited.set(when.ti, when.wi);
  }
  if (limited.size === 0) return [...tokens];
  return tokens.flatMap((t, ti) => {
    const from = limited.get(ti);
    if (from === undefined) return [t];
    const when: Token = { tag: 'condition', words: t.words.slice(from) };
    return from === 0 ? [when] : [{ ...t, words: t.words.slice(0, from) }, when];
  });
}
