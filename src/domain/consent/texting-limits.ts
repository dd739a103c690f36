/**
 * Three limits on the texts that a yes can carry and still not be a clear yes (README.md, "A limit on the
 * texts"; heldout-7's three false opt-ins, repaired by class in test/fixtures/consent-answers/dev-32.tsv):
 *
 * - a time or event of the caller's set on when the texts may come ("text me when I'm off shift", "text me
 *   once I'm home", "text me after I clock out"): the texts may come only then, a qualification. A clause about
 *   the job ("text me when the tech is on the way", "once the part comes in", "when you have a time") is what
 *   the texts are about, not a limit: earlier labels grant it (dev-4, dev-10, dev-11).
 * - consent reported from someone not on the call ("mom says you can text", "my boss says yes"): the fixture
 *   README's standing rule makes a relayed yes unclear; the caller's own "text me" beside it still decides.
 * - the texts sent to another number or place ("text the front desk number", "text his cell"): the standing rule
 *   "okay but text my son instead" is unclear; a determiner after "text" that starts a sentence of its own ("yes
 *   please text the kids are asleep", dev-30) names no phone or place and is left to the other rules.
 *
 * Pure: reads the transcript's words only. Returns why the answer is limited, or null.
 */

/** A word of texting, with its object "me"/"us" when said. */
const TEXT_ME = String.raw`\b(?:text|texts|texting|message)(?: me| us)?`;

/** The caller (or the caller's household) as the subject of the clause that sets the time. */
const CALLERS_CLAUSE = String.raw`(?:i|i'm|im|i've|i'll|we|we're|we've|we'll|my|our)\b`;

/** "text me when I'm …", "text me after I …", "text me only once we're …": nothing between the verb and the clause. */
const CALLERS_TIME = new RegExp(String.raw`${TEXT_ME} (?:only |just )?(?:when|once|after|until|till|before|as soon as) ${CALLERS_CLAUSE}`);

/** Someone not on the call, then a verb of saying, then a yes within two words ("mom says you can text"). */
const RELAYED = new RegExp(
  String.raw`\b(?:he|she|they|mom|mommy|mum|ma|dad|daddy|pa|grandma|grandpa|granny|nana|wife|husband|boss|(?:my|our|the|his|her) [a-z']+)` +
    String.raw` (?:says|said|say|told me|tells me)(?: that)? (?:[a-z']+ ){0,2}?(?:yes|yeah|yep|sure|ok|okay|fine|go ahead|you can|you may|text|alright|all right)\b`,
);

/** The caller's own consent beside a relayed one ("yes you can text me, my husband says it's fine too"). */
const OWN_CONSENT = /\b(?:text me|texting me|message me|i'm fine|i'm okay|i agree|i don't mind|fine (?:by|with) me|works for me)\b/;

/** A phone, a line or a place that texts could be sent to instead of the caller. */
const PHONE_OR_PLACE = String.raw`(?:number|line|phone|cell|cellphone|desk|office|landline|shop|extension|pager|email)`;

/**
 * "text the front desk number", "text his cell", "send it to my work phone": up to three words to the phone or place.
 * The caller's own phone said plainly ("text my phone the tech's name", dev-6; "my cell") is the caller: only a
 * phone of the caller's that is named as another one ("my work phone", "my office") is another number.
 */
const OTHER_RECIPIENT = new RegExp(
  String.raw`\b(?:(?:text|texts|texting)(?: it| them)?(?: to)?|send (?:it|them|the texts?|those) to) (?!(?:my|our) (?:cell |mobile )?(?:phone|cell|number|cellphone)\b)(?:the|his|her|their|my|our) (?:[a-z']+ ){0,2}?${PHONE_OR_PLACE}s?\b`,
);

/** Lower case, apostrophes kept, each sentence on its own (a limit does not reach across a full stop). */
function sentences(transcript: string): string[] {
  return transcript
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .split(/[.!?;]+/)
    .map((s) => s.replace(/[^a-z0-9' ]+/g, ' ').replace(/\s+/g, ' ').trim())
    .filter((s) => s.length > 0);
}

export function limitOnTheTexts(transcript: string): string | null {
  const parts = sentences(transcript);
  if (parts.some((s) => CALLERS_TIME.test(s))) return 'a time of the caller set on when the texts may come';
  if (parts.some((s) => OTHER_RECIPIENT.test(s))) return 'the texts sent to another number or place';
  const whole = parts.join(' ');
  if (RELAYED.test(whole) && !OWN_CONSENT.test(whole)) return 'consent reported from someone not on the call';
  return null;
}
