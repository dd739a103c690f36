/**
 * A yes relayed from someone not on the call (one role): "mom says you can text", "my boss says yes", "he said sure
 * go ahead", and the decision left to them ("my parents decide", "the owner approves": no yes need follow). Someone else's yes is not the caller's (the fixture README's standing rule: a relayed yes is `U`), so
 * the verb of saying between the person and the yes is tagged `redirect`, the tag of another person deciding: the
 * classifier's disqualifiers see it wherever it stands, and no reading of what came before the final yes may set it
 * aside ("hold on mom says you can text" was heldout-7's false opt-in: the pause and the relay were dropped as a lead).
 * Only a yes within two words of the verb: "he says hello", "she said you were great" relay no yes and are untouched.
 * Run on the tags before any reading of the answer (rule-consent-classifier.ts). Why: src/domain/consent/README.md,
 * "A limit on the texts".
 */
import { TEXTING_WORDS, type Token } from './answer-shape.ts';
import { PEOPLE } from './disqualifier-phrases.ts';

/** Someone not on the call who can say yes; "my …", "our …", "the …", "his …", "her …" before any word name one too. */
const RELAYERS: ReadonlySet<string> = new Set([
  'he', 'she', 'they', 'mom', 'mommy', 'mum', 'ma', 'dad', 'daddy', 'pa', 'grandma', 'grandpa', 'granny', 'nana', ...PEOPLE,
  // a company deciding for the caller ("yes our company policy allows texts", dev-72)
  'company', 'policy', 'management', 'corporate', 'hoa',
]);
const OWNERS = new Set(['my', 'our', 'the', 'his', 'her']);
/** The verbs of saying; "told", "tells" with their "me"/"us". */
const SAYING = new Set(['says', 'said', 'say', 'told', 'tells']);
const TOLD_WHOM = new Set(['me', 'us']);
/** Someone not on the call deciding ("my parents decide", "the owner approves"): no yes need follow, the decision is theirs. */
const DECIDING = new Set(['decide', 'decides', 'decided', 'approve', 'approves', 'approved', 'allow', 'allows', 'allowed', 'permit', 'permits']);
/** A yes in the relayed words (a word, or the first word of a two-word one). */
const YES_WORDS = new Set(['yes', 'yeah', 'yep', 'sure', 'okay', 'fine', 'text', 'alright']);
const YES_PAIRS = new Set(['go ahead', 'you can', 'you may', 'all right']);

/** The tokens (by index) whose verb of saying relays someone else's yes. */
function relays(tokens: readonly Token[]): Set<number> {
  const at = tokens.flatMap((t, ti) => t.words.map((w) => ({ w, ti })));
  const found = new Set<number>();
  for (let k = 1; k < at.length; k++) {
    const verb = at[k]!.w;
    if (!SAYING.has(verb) && !DECIDING.has(verb)) continue;
    const person = RELAYERS.has(at[k - 1]!.w) || OWNERS.has(at[k - 2]?.w ?? '');
    if (!person) continue;
    if (DECIDING.has(verb)) {
      found.add(at[k]!.ti);
      continue;
    }
    let j = k + 1;
    if (verb === 'told' || verb === 'tells') {
      if (!TOLD_WHOM.has(at[j]?.w ?? '')) continue;
      j++;
    }
    if (at[j]?.w === 'that') j++;
    const yes = [j, j + 1, j + 2].some((n) => YES_WORDS.has(at[n]?.w ?? '') || YES_PAIRS.has(`${at[n]?.w} ${at[n + 1]?.w}`));
    if (yes) found.add(at[k]!.ti);
  }
  return found;
}

/** Retags as `redirect` a verb of saying that relays someone else's yes. */
export function readRelayedConsent(tokens: readonly Token[]): Token[] {
  const found = relays(tokens);
  return tokens.map((t, ti) => (found.has(ti) ? { ...t, tag: 'redirect' } : t));
}

/**
 * Whether the whole answer relays a yes: a reading that judges a part of the answer alone ("Before the final yes")
 * may cut the relay from the yes it relays ("hold on mom says | you can text"), so it never reads such an answer again.
 */
export function relaysAYes(tokens: readonly Token[]): boolean {
  return relays(tokens).size > 0;
}

/**
 * An answer typed through a relay service, closed by the operator's "GA" ("go ahead", the turn handed back): "yes go
 * ahead g a" (dev-72's false opt-in). The operator's words may be a summary of the caller's; only the texts named ("Yes,
 * please text me. GA.") are the caller's yes to them.
 */
export function typedThroughARelay(words: readonly string[]): boolean {
  const closing = words.slice(-2).join(' ') === 'g a' || (words.length > 1 && words.at(-1) === 'ga');
  return closing && !words.some((w) => TEXTING_WORDS.has(w));
}
