/**
 * A clear yes followed by a remark: "yes text me, I'm in meetings all afternoon", "yep texting's fine, I check
 * my phone constantly", "Yes, text is better. I've got three kids yelling in the back." After a consent phrase
 * (a cue that answers this question, or a remark favouring texting), a clause with a subject of its own is
 * the caller's remark, not a qualification of the yes: its words the lexicon does not know, a time in it, a
 * word of emphasis and an answer to another question are read as the remark they are. What a remark can never
 * carry stays a disqualifier wherever it stands: refusals and negators, conditions (if, only, unless, as long
 * as, cost), take-backs (but, actually), hedges, questions, sarcasm markers (spam, yeah right), another person
 * or channel (text my wife, call me), words to someone present, instructions to a machine, recognizer noise.
 * Why: src/domain/consent/README.md, "A clear yes, then any remark".
 */
import { BARE_YES } from './affirmative-phrases.ts';
import { opensWithExclamation, type Token } from './answer-shape.ts';
import { ADDRESS, ADDRESSED, ASIDE, ENDEARMENT, FIRST_NAMES, NEGATOR, PEOPLE } from './disqualifier-phrases.ts';

/** Where a remark with its own subject begins ("I'm …", "my kid is …", "it's …"). A wish ("I'd …", "I want …") is not one: it may be about the texts. */
const SUBJECTS: ReadonlySet<string> = new Set([
  'i\'m', 'i', 'i\'ve', 'i\'ll', 'we', 'we\'re', 'we\'ve', 'we\'ll', 'my', 'our', 'it\'s', 'he\'s', 'she\'s', 'they\'re', 'he', 'she', 'they',
  'there\'s', 'the',
]);

/** A time in a remark about the caller ("I'm on a plane in an hour") is when the caller is busy, not when to text. */
const TIMES = new Set([
  'after', 'before', 'between', 'during', 'later', 'tomorrow', 'tonight', 'morning', 'mornings', 'afternoon', 'afternoons', 'evening',
  'evenings', 'night', 'weekend', 'weekends', 'weekday', 'weekdays', 'o\'clock', 'pm', 'emergency', 'emergencies', 'urgent', 'half',
  'in an hour', 'in a few hours', 'in a couple hours', 'in a couple of hours', 'in a few minutes', 'in a bit', 'in a while', 'an hour from now',
  'at lunch', 'at lunchtime', 'next week', 'this week', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
]);

export const REMARK_SUBJECTS = SUBJECTS;

/**
 * Emphasis that is sarcasm about the texts ("text me constantly") and plain emphasis in a remark ("I check my
 * phone constantly"). "more" and "another" are not among them: "we found another plumber", "more texts".
 */
const EMPHASIS = new Set(['every', 'constantly', 'nonstop', 'everybody', 'everyone', 'because', 'cause', 'coz', 'cuz', 'all day long', 'lol', 'haha', 'ha ha']);

/**
 * A remark that names the texts or the phone, or points at them ("I'd like them in the morning", "it's my work
 * phone"), is about the texts: nothing in it is relaxed.
 */
const POINTERS = new Set(['them', 'those', 'it', 'phone', 'cell', 'cellphone', 'mobile', 'landline', 'smartphone', 'number', 'line', 'work']);
function aboutTexts(word: string): boolean {
  // "my phone's always on silent" names the phone; "it's" is "it is", not a pointer
  const w = word === 'it\'s' ? word : word.replace(/'s$/, '');
  return w.startsWith('text') || w.startsWith('messag') || w === 'sms' || POINTERS.has(w);
}

/** "at work", "off work", "from work": where someone is, not the work phone. */
const AT_A_PLACE = new Set(['at', 'to', 'from', 'off', 'after', 'before']);

/**
 * The caller's reading of the texts ("I'll see it in the morning", "I read it after work", "I'll check between
 * pours"): a time in that remark is when the caller reads, not when to send. Only with the caller as the
 * remark's subject ("I'd like them in the morning" is a wish, "the morning of" is when to text), and a limit
 * ("only", "if") stays a condition of its own.
 */
const CALLER = new Set(['i', 'i\'ll', 'i\'m', 'i\'ve', 'we', 'we\'ll', 'we\'re', 'we\'ve']);
const READING = new Set(['see', 'read', 'check', 'look']);

/**
 * A wh-word inside a remark that opens a clause of the story rather than asks: "who" or "which" right after a
 * noun that follows a determiner ("the guy who came before", "my neighbor who"), or any wh-word after a verb of
 * telling or showing ("never told me what was wrong", "showed me how to read them"). Not after "know", "wonder"
 * or "ask" (an indirect question about the visit or the cost), and a question mark still makes the answer one.
 */
const RELATIVE = new Set(['who', 'which']);
const TELLING = new Set(['told', 'tell', 'tells', 'showed', 'show', 'shown', 'explained', 'explain', 'taught', 'remember', 'forgot']);
const TOLD_WHOM = new Set(['me', 'us', 'him', 'her', 'them']);
function embedded(tokens: readonly Token[], k: number): boolean {
  const wh = tokens[k]!.words.join(' ');
  const before = tokens.slice(0, k).flatMap((t) => t.words);
  const prev = before[before.length - 1] ?? '';
  const verb = TOLD_WHOM.has(prev) ? (before[before.length - 2] ?? '') : prev;
  if (TELLING.has(verb)) return true;
  // "the guy who", "my neighbor who": a noun after a determiner, not "I'm wondering who", "text me who"
  const noun = !DETERMINERS.has(prev) && !TOLD_WHOM.has(prev) && !SUBJECTS.has(prev) && !INDIRECT.has(prev) && !/[0-9]/.test(prev);
  return RELATIVE.has(wh) && noun && before.slice(-3, -1).some((w) => DETERMINERS.has(w));
}
const DETERMINERS = new Set(['the', 'a', 'an', 'my', 'our', 'his', 'her', 'their', 'that', 'this']);
const INDIRECT = new Set(['wonder', 'wondering', 'know', 'ask', 'asking', 'asked', 'sure', 'curious', 'idea', 'see']);

/**
 * "I'm at the office all day": the caller at a place, not the office line. Only in the caller's own remark, after
 * "at" or "in" (a determiner between), and not followed by a phone ("I'm at the office, the office number is …");
 * "text me at the office" has no subject of its own and stays another channel.
 */
const PLACES = new Set(['office', 'work']);
function atAPlace(tokens: readonly Token[], start: number, k: number): boolean {
  if (!PLACES.has(tokens[k]!.words.join(' ')) || !CALLER.has(tokens[start]!.words[0]!)) return false;
  // "in the office", "at the church office", "in the parish office": "at" or "in", then a determiner and one word
  // the lexicon does not know naming which office
  const before = tokens.slice(start, k);
  const last = before.at(-1);
  const naming = last !== undefined && last.words.length === 1 && (last.tag === 'unknown' || last.tag === 'context') && !DETERMINERS.has(last.words[0]!) && !['at', 'in'].includes(last.words[0]!);
  const named = naming ? before.slice(0, -1) : before;
  const words = named.flatMap((t) => t.words);
  const preposition = words.at(-1) === 'at' || words.at(-1) === 'in' || (DETERMINERS.has(words.at(-1) ?? '') && ['at', 'in'].includes(words.at(-2) ?? ''));
  const next = tokens[k + 1]?.words[0] ?? '';
  return preposition && (named === before || DETERMINERS.has(words.at(-1) ?? '')) && !aboutTexts(next) && !aboutTexts(before.at(-1)?.words[0] ?? '');
}

/**
 * What "already" says of the job when it is not only how long the caller has waited: taken by someone else or done
 * ("I already have someone", "we already called another company", "I already fixed it", "I already did").
 */
const TAKEN = new Set([
  'have', 'has', 'had', 'got', 'someone', 'somebody', 'another', 'other', 'else', 'fixed', 'booked', 'found', 'hired', 'called', 'done', 'did',
  'handled', 'sorted', 'scheduled', 'paid', 'replaced', 'company', 'plumber', 'guy', 'it', 'that', 'this', 'texted', 'said', 'told',
]);

/** A subject before "come" ("when I come down", "when you come", "we'll come out"): a statement, not a bid to someone present ("come here"). */
const COMING = new Set(['i', 'i\'ll', 'we', 'we\'ll', 'you', 'you\'ll', 'he', 'he\'ll', 'she', 'she\'ll', 'they', 'they\'ll']);

/** The texts as the subject of "come" ("texts come through", "the messages come in fine"): they arrive. */
const ARRIVING = new Set(['texts', 'messages', 'text messages']);

/** A call in the past ("the last guy never called me back", "the tenant called about the leak") is the story, never a request to call. */
const PAST_CALLS = new Set(['called']);

/** Said to someone present, or a term of address that may be (an aside after readInContext): never a remark. */
export const ADDRESSED_PHRASES: ReadonlySet<string> = new Set([...ADDRESSED, ...ENDEARMENT, ...ADDRESS]);

/**
 * "my" or "the" after one of these is an object ("send it to my son", "better for my wife", "when my husband gets
 * home"), not a new subject. "and" is not one: "… and the tenant is expecting you" begins a remark, and "text me
 * and my wife" has nothing after the person.
 */
const BEFORE_AN_OBJECT = new Set(['also', 'plus', 'too', 'to', 'for', 'at', 'with', 'by', 'from', 'about', 'on', 'in', 'of', 'or', 'when', 'once', 'until', 'till', 'if', 'unless', 'send', 'text', 'tell', 'let', 'call', 'email', 'forward', 'it', 'them']);
const DETERMINED = new Set(['my', 'our', 'the']);

/**
 * A negation inside a remark about something else ("I'm not there", "nobody ever calls back", "I can't pick up
 * when I'm under a house"): the caller's story, not a refusal. Only these plain negations; a refusal phrase
 * ("no", "stop", "no texts", "I don't text", "landline", "call me instead") is never part of a remark.
 */
const PLAIN_NEGATIONS: ReadonlySet<string> = new Set([
  ...NEGATOR, 'never', 'i don\'t', 'don\'t', 'i can\'t', 'can\'t', 'cannot', 'i do not', 'nobody', 'no one', 'nothing', 'no longer', 'i won\'t',
]);
/** A negated remark that names the phone or the texts, or points back at the yes, may refuse them ("I can't read that", "I don't have a cell"). */
const NEGATION_GUARD = new Set([
  'that', 'this', 'read', 'receive', 'reply', 'get',
  'want', 'agree', 'consent', 'allow', 'sure', 'mind', 'like', 'okay', 'fine', 'good',
  // about the business, or indifference ("I don't trust you", "I don't really care")
  'you', 'your', 'y\'all', 'care', 'cares', 'know', 'think', 'trust', 'believe', 'need', 'use', 'have', 'do',
  // how the caller feels about it ("I'm not comfortable", "I'm not thrilled")
  'comfortable', 'happy', 'keen', 'thrilled', 'excited', 'glad', 'ready', 'convinced', 'interested', 'crazy', 'fan', 'big', 'into',
  'cool', 'down', 'agreeing', 'saying', 'yes', 'consenting', 'giving', 'signing',
  // a negated noun phrase says who or what the caller is not ("I'm not the homeowner", "it's not a cell")
  'the', 'a', 'an', 'owner', 'homeowner', 'one',
]);
/** The guard's nouns: a story about someone else negates what they did ("the last guy never fixed the leak"), not who the caller is. */
const NOUN_GUARD = new Set(['the', 'a', 'an', 'owner', 'homeowner', 'one']);

/**
 * The subjects of a story about someone else ("the last plumber never showed up", "they didn't finish the job",
 * "my landlord won't fix anything"): a negation in that clause is what the person or thing did. "it" is not one
 * (it may be the phone or the texts), nor the caller.
 */
const NO_ONE = new Set(['nobody', 'no one']);
const THIRD_PERSONS = new Set(['nobody', 'no one', 'the', 'he', 'she', 'they', 'he\'s', 'she\'s', 'they\'re', 'my', 'our']);

/** A person who is the subject of a remark ("my kid is doing homework") is not a recipient; one who says or decides ("my husband said") decides for the caller. */
const PEOPLE_PHRASES: ReadonlySet<string> = new Set([...PEOPLE, ...PEOPLE.map((p) => `${p}'s`)]);
const DECIDING = new Set([
  'said', 'says', 'say', 'told', 'tells', 'tell', 'thinks', 'wants', 'agrees', 'agreed', 'decides', 'decided', 'handles', 'approves', 'approved',
  'prefers', 'asked', 'asks', 'insists', 'answers', 'reads', 'account', 'holder', 'charge', 'manages', 'pays', 'bill', 'owns', 'that', 'this',
  'phone', 'cell', 'number', 'has', 'got', 'uses',
  // a person who would deal with the texts ("my husband will answer") may be their reader
  'answer', 'answering', 'reply', 'replies', 'respond', 'responds', 'read', 'check', 'checks', 'handle', 'decide', 'see', 'sees', 'get', 'gets',
  'deal', 'deals', 'take', 'takes', 'know', 'knows', 'look', 'looks', 'help', 'helps', 'boss', 'one',
]);

/**
 * The listed asides a remark may hold: the line, where the caller is or was, the problem's place, a message
 * the caller would send, the household. The others ("already", "let me check", "book it", "the estimate",
 * "you're welcome") answer another question or defer in a remark too ("sounds good, I already have someone"),
 * and the asides that readInContext makes of the job, an acknowledgment, an identity or the visit are all
 * a remark's.
 */
const REMARK_ASIDES = new Set([
  'breaking up', 'bad connection', 'connection', 'cutting out', 'the one', 'address', 'my address', 'street', 'avenue', 'earlier', 'yesterday',
  'last time', 'text you', 'i\'ll text', 'send you', 'homework', 'dinner', 'dog', 'cat', 'kids', 'customer', 'account', 'usual', 'member',
  'veteran', 'i\'m here', 'i am here', 'still here',
  // the caller busy on the phone ("I'm always on the phone", "I don't hear so good on the phone"), in a remark only
  'on the phone',
  // a thing switched off ("I turned the breaker off", "I shut the water off"): the job
  'off',
]);
export const FIXED_ASIDES: ReadonlySet<string> = new Set(ASIDE.filter((a) => !REMARK_ASIDES.has(a)));

/** The household: beside a cue that does not name texts ("sounds good, the dog needs to go out") it may be said to someone present. */
const HOUSEHOLD = new Set(['dog', 'cat', 'dinner', 'homework', 'the dog', 'my dog', 'the dogs', 'the cat', 'the kids', 'my kids', 'kids', 'the guys', 'you guys']);

/** Words that add a recipient rather than begin what a person does ("my wife too", "my husband as well"). */
const ADDING = new Set(['too', 'also', 'as', 'as well', 'and', 'or', 'plus', 'instead']);

/** A reason joined to the yes ("because the …", "cause my …"): sarcasm only when what follows is ("because I love spam"). */
const BECAUSE = new Set(['because', 'cause', 'coz', 'cuz']);

/** A go-ahead may be said to anyone ("go ahead", "you can", "do it"); "that's fine", "yes please", "text me" answer this question. */
export const GO_AHEAD = /\b(?:go (?:right |on )?a ?head|go head|go for it|go on|you can|you may|do it|do that|feel free|by all means)\b/;
/** "… at work, so text me": a join between a remark and the cue after it. */
const JOINS = new Set(['so', 'and', 'and so', 'then', 'so yeah', 'anyway', 'anyways']);

/** "I'll let the tenant know", "I'll tell my wife": the caller's telling, not the person's deciding. */
const INFORMING = new Set(['let', 'tell', 'know']);

/**
 * "I have to pick up my daughter", "I'm getting my son from school": a person the caller fetches or takes is the
 * caller's errand, not a recipient. The verb of the errand, right before the person ("my"/"our"/"the" between).
 */
const ERRANDS = new Set(['pick up', 'picking up', 'get', 'getting', 'grab', 'grabbing', 'take', 'taking', 'drop off', 'dropping off', 'bring', 'bringing', 'fetch']);
/**
 * In a remark with an errand these are the errand's verbs, not a person dealing with the texts ("my wife gets them"
 * stays a decider: "gets" is not among them, and another person in the remark is read by the person rules).
 */
const ERRAND_VERBS = new Set(['get', 'getting', 'take', 'taking']);

/**
 * The caller's introduction ("this is Carla", "my name is Dan"): beside a cue naming texts it opens the caller's
 * remark, and a first name right after it is the caller's own, not someone addressed.
 */
const INTRODUCTIONS = new Set(['this is', 'my name is', 'name is', 'my name', 'name\'s']);
const NAMING = new Set([...INTRODUCTIONS, 'it\'s', 'i\'m', 'name\'s']);

function consentPhrase(t: Token): boolean {
  return (t.tag === 'affirm' && !BARE_YES.has(t.words.join(' '))) || t.tag === 'remark';
}

/**
 * Reads the remarks after the first consent phrase (or after a bare yes and an apology: "Yeah. Sure. Sorry, I
 * just woke up."). A remark begins at a subject and runs to the next cue or the end; whether it names the texts
 * or the phone is judged over the whole remark, since a recognizer's output gives no sentence ends to split it
 * by, and what a negation negates over the words from its own subject on. Tokens that only a remark explains
 * become `context`; every other tag is left for the classifier to judge. A word of the household or of another
 * question ("the connection", "homework") is a remark only after a consent phrase that answers this question
 * (after a bare "go ahead" it may be said to someone present: "go ahead, the dog needs to go out"), and the
 * household only after a cue naming texts ("sounds good, the kids need dinner" may be said to the kids). A
 * person as the subject only beside a cue naming texts: "yes please, the tenant will let you in" answers "shall we send
 * someone?".
 */
export function readRemarks(tokens: readonly Token[]): Token[] {
  const out = [...tokens];
  const head = remarkHead(tokens);
  // "oh sure, text me, ..." opens with an exclamation: what follows may be sarcasm, so nothing is relaxed (answer-shape.ts)
  if (head < 0 || opensWithExclamation(tokens)) return out;
  const textingCue = tokens.some((t) => consentPhrase(t) && t.words.some(aboutTexts));
  const answersThisQuestion = textingCue || tokens.some((t) => consentPhrase(t) && !GO_AHEAD.test(t.words.join(' ')));
  let i = head + 1;
  while (i < out.length) {
    if (!startsRemark(out, i)) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < out.length && out[end]!.tag !== 'affirm') end++;
    // the words of the remark, known remarks favouring texting aside ("I check my phone" is one)
    const words = out.slice(i, end).filter((t) => t.tag !== 'remark').flatMap((t) => t.words);
    // "my mom's at work": a place where someone is, not "my work phone"
    const namesTexts = words.some((w, n) => aboutTexts(w) && !(w === 'work' && AT_A_PLACE.has(words[n - 1] ?? '')));
    // "my husband said | it's fine": a remark that runs straight into a cue is that cue's subject ("… at work, so text me" is not)
    const intoCue = end < out.length && !JOINS.has(out[end - 1]!.words.join(' '));
    const deciding = namesTexts || intoCue || words.some((w) => DECIDING.has(w));
    // "I'll let the tenant know": the telling is the caller's, not the person's deciding
    const decidingBesidesTelling = namesTexts || intoCue || words.some((w) => DECIDING.has(w) && !INFORMING.has(w));
    // "yes text me the morning of": a time after "the" may be when to text; after a person it is when they are busy
    const timesAreTheCallers = out[i]!.words[0] !== 'the';
    // "I'll see it in the morning", "I read it after work": the caller's reading, whose time is when they read
    const readsThem = CALLER.has(out[i]!.words[0]!) && words.some((w) => READING.has(w));
    // "text me, cause my phone's always on silent": the "because" that joins the remark is part of it
    const join = out[i - 1]!;
    if (!namesTexts && join.tag === 'sarcasm' && BECAUSE.has(join.words.join(' '))) out[i - 1] = { ...join, tag: 'context' };
    for (let k = i; k < end; k++) {
      const t = out[k]!;
      const phrase = t.words.join(' ');
      // "my kid is doing homework": a person followed by what they do; "text me, also my wife" adds a recipient
      const after = out[k + 1];
      const subjectPerson =
        k > i && startsRemark(out, k - 1) && DETERMINED.has(out[k - 1]!.words[0]!) && after !== undefined && !['filler', 'polite', 'affirm'].includes(after.tag) && !ADDING.has(after.words.join(' '));
      const relaxed =
        // a number stays for the number check (answer-shape.ts): a phone number or a time is never only a remark,
        // and so does a possessive (answer-shape.ts: "I'm over at Maria's" names someone)
        (t.tag === 'unknown' && !/[0-9]/.test(phrase) && !phrase.endsWith('\'s')) ||
        // a negation that ends the answer ("Sure, text me. I'm not.") negates something unsaid
        (t.tag === 'negate' && !namesTexts && end === out.length && k < end - 1 && PLAIN_NEGATIONS.has(phrase) && !negatesNoun(out, i, k, end)) ||
        // "yes text me, the last plumber never showed up, so …": a negation in a story about someone else
        (t.tag === 'negate' && !namesTexts && k < end - 1 && PLAIN_NEGATIONS.has(phrase) && storyNegation(out, i, k, end)) ||
        // "I'm out at the barn, but I'll have my phone": a concession inside the caller's remark
        (t.tag === 'contrast' && phrase === 'but' && concession(out, k, end)) ||
        (t.tag === 'redirect' && PAST_CALLS.has(phrase)) ||
        (t.tag === 'redirect' && atAPlace(out, i, k)) ||
        // "I've been waiting two days already": the caller's wait, not the job taken elsewhere
        (t.tag === 'aside' && phrase === 'already' && !words.some((w) => TAKEN.has(w))) ||
        // "texts come through fine": the texts as the subject of "come" arrive; "come" alone is said to someone present
        (t.tag === 'aside' && phrase === 'come' && k > i && ARRIVING.has(out[k - 1]!.words.at(-1)!)) ||
        // "when I come down the ladder", "when you come": "come" after its subject tells, it bids no one come
        (t.tag === 'aside' && phrase === 'come' && k > i && COMING.has(out[k - 1]!.words.at(-1)!)) ||
        (textingCue && t.tag === 'redirect' && PEOPLE_PHRASES.has(phrase) && ((!deciding && subjectPerson) || (!decidingBesidesTelling && informed(out, i, k)))) ||
        // "I have to pick up my daughter": the caller's errand, nothing else in the remark about the texts or a decision
        (textingCue && t.tag === 'redirect' && PEOPLE_PHRASES.has(phrase) && errand(out, i, k) && !namesTexts && !intoCue && !words.some((w) => DECIDING.has(w) && !ERRAND_VERBS.has(w))) ||
        // "I'm the church secretary": a person's noun as the caller's own role, nothing in the remark deciding ("I'm the
        // nanny, the parents decide")
        (textingCue && t.tag === 'redirect' && PEOPLE_PHRASES.has(phrase) && callersRole(out, k) && !deciding) ||
        // "this is Carla", "my name is Dan": the caller's introduction and the caller's own name
        (textingCue && t.tag === 'aside' && (introduces(out, k) || (k > i && NAMING.has(out[k - 1]!.words.join(' ')) && FIRST_NAMES.includes(phrase)))) ||
        // "the guy who came before", "he never told me what was wrong": a clause inside the story, not a question
        (t.tag === 'question' && k > i && embedded(out, k)) ||
        // "I can't pick up when I'm under a house": "when" before its subject says when, it does not ask
        (t.tag === 'question' && phrase === 'when' && SUBJECTS.has(out[k + 1]?.words[0] ?? '')) ||
        // "it's best after six": with "it" as its clause's subject the time may be when "it" (the texts) should come
        ((!namesTexts || readsThem) && t.tag === 'condition' && timesAreTheCallers && TIMES.has(phrase) && (URGENCY.has(phrase) || !IT.has(out[clauseStart(out, i, k)]!.words[0]!))) ||
        // "I'm up at six", "we open at four": an hour of the clock in the caller's own clause is their day
        (!namesTexts && t.tag === 'condition' && CLOCK_HOURS.test(phrase) && CALLER.has(out[clauseStart(out, i, k)]!.words[0]!)) ||
        // "I'm free after lunch", "I'm hands free": the caller free, in the caller's own clause, is not a cost
        (t.tag === 'condition' && phrase === 'free' && k > i && FREE_BEFORE.has(out[k - 1]!.words.at(-1)!) && CALLER.has(out[clauseStart(out, i, k)]!.words[0]!)) ||
        // "the toilet's been running all night": a time in a story about a thing is when the thing did it
        (!namesTexts && t.tag === 'condition' && TIMES.has(phrase) && thingStory(out, clauseStart(out, i, k), k)) ||
        // "I'll check them at lunch"; "I'll check tomorrow" without the texts may be a deferral ("let me check")
        (readsThem && namesTexts && t.tag === 'aside' && READING.has(phrase)) ||
        (!namesTexts && t.tag === 'sarcasm' && EMPHASIS.has(phrase)) ||
        (t.tag === 'aside' && !addressed(out, k) && !FIXED_ASIDES.has(phrase) && (textingCue || (answersThisQuestion && !HOUSEHOLD.has(phrase))));
      if (relaxed) out[k] = { ...t, tag: 'context' };
    }
    i = end;
  }
  return out;
}

/** "free" right after these is the caller free ("I'm free", "we are free", "hands free"); anywhere else a cost ("if it's free"). */
const FREE_BEFORE = new Set(['i\'m', 'am', 'we\'re', 'hands']);

/** "it" as a clause's subject may stand for the texts ("it's best after six", "it works better in the evening"). */
const IT = new Set(['it\'s', 'it']);
/** The words of `TIMES` that say how urgent the job is, not when: "it's pretty urgent" is the job. */
const URGENCY = new Set(['urgent', 'emergency', 'emergencies']);

/** An hour of the clock as a recognizer writes it ("at six", "seven p m", "five in the morning"). */
const CLOCK_HOURS = /^(?:at )?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon)(?: (?:am|a m|pm|p m|in the morning|at night))?$/;

/** Where the clause holding token k begins: its own subject, or the remark's start. */
function clauseStart(tokens: readonly Token[], start: number, k: number): number {
  let from = k;
  while (from > start && !startsRemark(tokens, from)) from--;
  return from;
}

/**
 * The verbs of a story about a thing ("the toilet's been running", "the panel is tripping", "the fridge keeps
 * warming up"), right after the thing.
 */
const THING_VERBS = new Set(['is', 'was', 'has', 'had', 'been', 'keeps', 'kept', 'started', 'stopped', 'quit', 'broke', 'died', 'went', 'isn\'t', 'wasn\'t', 'won\'t', 'doesn\'t', 'didn\'t']);

/**
 * A clause that tells what a thing did ("the toilet's been running all night", "the thermostat's been blinking all
 * morning"): "the", a thing of one or two words, then its verb ("the toilet's", "the water heater is"), before the
 * time at k. Not "the morning of" or "the day before" (no verb: when to text), nor a clause about the best time
 * ("the best time is after six": a preference, a time noun).
 */
function thingStory(tokens: readonly Token[], from: number, k: number): boolean {
  if (tokens[from]!.words.join(' ') !== 'the') return false;
  const clause = tokens.slice(from, k);
  if (clause.some((t) => t.tag !== 'unknown' && t.tag !== 'context' && t.tag !== 'job' && t.tag !== 'filler') || clause.some((t) => t.words.some((w) => w.startsWith('time')))) return false;
  const words = clause.flatMap((t) => t.words).slice(1);
  return words.slice(0, 3).some((w, n) => n > 0 ? THING_VERBS.has(w) : false) || words.slice(0, 2).some((w) => /[a-z]'s$/.test(w) && w !== 'it\'s');
}

/** Where the remark begins: after the first consent phrase, or after a bare yes and an apology ("yes, sorry, I'm driving"). */
function remarkHead(tokens: readonly Token[]): number {
  const head = tokens.findIndex(consentPhrase);
  if (head >= 0) return head;
  const yes = tokens.findIndex((t) => t.tag === 'affirm');
  const sorry = tokens.findIndex((t, i) => i > yes && t.tag === 'polite' && t.words.join(' ') === 'sorry');
  return yes >= 0 && sorry > yes ? sorry : -1;
}

/** An introduction followed by a name, not by an article ("this is a joke", "this is the office" introduce no one; "this is my phone" is the caller's). */
const NOT_A_NAME = new Set(['a', 'an', 'the', 'that', 'this']);
function introduces(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  const next = tokens[i + 1]?.words[0];
  return (t.tag === 'aside' || t.tag === 'unknown') && INTRODUCTIONS.has(t.words.join(' ')) && next !== undefined && !NOT_A_NAME.has(next);
}

/** "I'm the church secretary", "I'm a property manager": the caller, a determiner, at most one word naming which, then the person's noun. */
const I_AM = /^(?:i'm|i am|we're|we are)(?: (?:the|a|an))?$/;
function callersRole(tokens: readonly Token[], k: number): boolean {
  if (tokens[k]!.words.at(-1)!.endsWith('\'s')) return false;
  let j = k - 1;
  // the word naming which ("church"), already read as the remark's own (context) by the time the person is reached
  // (not a possessive or a person: "I'm the tenant's mother" speaks for someone else)
  const which = tokens[j]?.words[0] ?? '';
  if (tokens[j] !== undefined && tokens[j]!.words.length === 1 && (tokens[j]!.tag === 'unknown' || tokens[j]!.tag === 'context') && !DETERMINERS.has(which) && !which.endsWith('\'s')) j--;
  const words = tokens.slice(Math.max(0, j - 1), j + 1).flatMap((t) => t.words).join(' ');
  const the = tokens[j]?.words.at(-1) ?? '';
  return ['the', 'a', 'an'].includes(the) && (I_AM.test(tokens[j]!.words.join(' ')) || I_AM.test(words));
}

/** The caller fetches someone ("I have to pick up my daughter"): the remark's subject is the caller and an errand's verb stands right before the person. */
function errand(tokens: readonly Token[], start: number, k: number): boolean {
  if (!CALLER.has(tokens[start]!.words[0]!)) return false;
  const before = tokens.slice(start, k).flatMap((t) => t.words);
  const person = tokens[k]!.words;
  // "my son" as one token, or "my" then "son"
  const verbAt = DETERMINED.has(person[0]!) ? before.length : DETERMINED.has(before.at(-1) ?? '') ? before.length - 1 : -1;
  if (verbAt < 1) return false;
  return ERRANDS.has(before[verbAt - 1]!) || ERRANDS.has(`${before[verbAt - 2]} ${before[verbAt - 1]}`);
}

/** The caller tells someone ("I'll let the tenant know", "I'll tell my wife"): the caller passes it on, the texts come to the caller. */
function informed(tokens: readonly Token[], start: number, k: number): boolean {
  const caller = ['i', 'i\'ll', 'we', 'we\'ll', 'i\'m', 'i\'ve'].includes(tokens[start]!.words[0]!);
  const before = tokens.slice(Math.max(start, k - 2), k).flatMap((t) => t.words);
  const verb = before.findLast((w) => w === 'let' || w === 'tell');
  return caller && verb !== undefined && before.slice(before.lastIndexOf(verb) + 1).every((w) => DETERMINED.has(w));
}

/** A negation of a noun ("I'm not the homeowner", "it's not a cell"), of a word in NEGATION_GUARD or of a permission ("they never let me"), from its own subject on. */
function negatesNoun(tokens: readonly Token[], start: number, at: number, end: number): boolean {
  let from = at;
  while (from > start && !startsRemark(tokens, from)) from--;
  return tokens.slice(from, end).some((t) => t.words.some((w) => NEGATION_GUARD.has(w) || PERMISSION.has(w)));
}

/**
 * A negation in a story about someone else ("yes text me, the last company never called back", "that's fine,
 * they didn't finish the job last time, so I want a record"): its clause (from its own subject to the next
 * subject) has a third person as its subject and negates none of the guarded verbs ("the owner doesn't want
 * them", "my husband won't agree"); the remark runs to the end or into a cue through a join ("…, so texting is
 * better"). Nouns are allowed: what the person did not do is the job's story, not who the caller is.
 */
function storyNegation(tokens: readonly Token[], start: number, at: number, end: number): boolean {
  let from = at;
  while (from > start && !startsRemark(tokens, from)) from--;
  if (!THIRD_PERSONS.has(tokens[from]!.words.join(' ')) && !THIRD_PERSONS.has(tokens[from]!.words[0]!)) return false;
  let to = at + 1;
  while (to < end && !startsRemark(tokens, to)) to++;
  const joinsACue = end < tokens.length && JOINS.has(tokens[end - 1]!.words.join(' '));
  const negated = tokens.slice(from, to).flatMap((t) => t.words);
  return (end === tokens.length || joinsACue) && !negated.some((w) => (NEGATION_GUARD.has(w) && !NOUN_GUARD.has(w)) || STORY_GUARD.has(w));
}

/**
 * What a person not doing something may say about the texts or the answer: deciding, letting, answering, paying
 * ("the landlord never gave permission", "they never let me", "the tenant won't answer", "he never pays the
 * bill"). A story negating one of these may be about the texts, so it stays a refusal. "told" is not among them:
 * "the last tech never told me what was wrong" is the job's story ("never told me it's okay" has "okay").
 */
const PERMISSION = new Set(['let', 'lets', 'letting', 'permission', 'allowed', 'allows', 'asked', 'ask', 'gave', 'give', 'gives', 'okayed', 'signed', 'consented']);
// "has" and "got" as auxiliaries ("nobody else has called me back") tell nothing about the texts
const STORY_GUARD = new Set([...[...DECIDING].filter((w) => !['told', 'has', 'got'].includes(w)), ...PERMISSION]);

/**
 * "I'm eighty-four but I can read a text", "signal's spotty but texts come through": a "but" inside the caller's
 * remark (a remark began before it) that opens a clause of its own, with the caller, the texts or the phone as
 * its subject, sets the caller's situation against a way the texts still reach them; it takes nothing back. A
 * "but" straight after the yes ("yes, but I have a flip phone") is not in a remark and stays a take-back, and so
 * does one before anything else ("but only after six", "but call if it's urgent", "but I'd rather"); what the
 * clause says is judged on its own (a hedge, a negation of the texts, a person who decides stay disqualifiers).
 */
function concession(tokens: readonly Token[], at: number, end: number): boolean {
  const next = tokens[at + 1];
  if (next === undefined || at + 1 >= end + 1) return false;
  const first = next.words[0]!;
  return startsRemark(tokens, at + 1) || ((next.tag === 'unknown' || next.tag === 'context') && aboutTexts(first)) || (next.tag === 'affirm' && next.words.some(aboutTexts));
}

/** Said to someone present; an endearment after a determiner is a noun ("I've got a baby"), not a term of address. */
function addressed(tokens: readonly Token[], k: number): boolean {
  const phrase = tokens[k]!.words.join(' ');
  if (!ADDRESSED_PHRASES.has(phrase)) return false;
  const prev = tokens[k - 1]?.words;
  return !(ENDEARMENT.includes(phrase) && prev !== undefined && ['a', 'the', 'my', 'our', 'your'].includes(prev[prev.length - 1]!));
}

/** A subject begins a remark; "my", "our", "the" after a preposition or a verb of sending is an object ("send it to my son"). */
function startsRemark(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  // "nobody picked up", "no one ever calls back": a negated person is the subject of a story about others
  if (t.tag === 'negate' && NO_ONE.has(t.words.join(' '))) return i > 0 && tokens[i - 1]!.tag !== 'negate';
  // "this is Carla", "my name is Dan": the caller's introduction
  if (introduces(tokens, i)) return true;
  if (!SUBJECTS.has(t.words[0]!) || t.tag === 'affirm' || t.tag === 'hedge' || t.tag === 'negate') return false;
  const prev = tokens[i - 1];
  return !(DETERMINED.has(t.words[0]!) && prev !== undefined && BEFORE_AN_OBJECT.has(prev.words[prev.words.length - 1]!));
}
