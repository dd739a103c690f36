/**
 * The words the consent classifier knows, each phrase matched whole, longest first ("no problem" is one
 * affirmative before "no" could be a refusal). What each tag means: src/domain/consent/README.md.
 */
export type LexTag = 'affirm' | 'backchannel' | 'negate' | 'negator' | 'hedge' | 'question' | 'contrast' | 'filler' | 'polite' | 'context';

const AFFIRM = [
  'yes', 'yeah', 'yep', 'yup', 'yes sir', 'yes ma\'am', 'sure', 'sure thing', 'surely', 'okay', 'alright', 'all right',
  'fine', 'that\'s fine', 'that is fine', 'that\'s okay', 'that is okay', 'that\'s alright', 'that\'s all right', 'that works',
  'that works for me', 'works for me', 'sounds good', 'sounds great', 'sounds fine', 'sounds good to me', 'sound good',
  'that sounds good', 'that sounds great', 'sounds perfect', 'that\'d be great', 'that would be great', 'that\'d be fine',
  'that would be fine', 'that\'s good', 'good', 'great', 'perfect', 'absolutely', 'definitely', 'certainly', 'of course',
  'please do', 'go ahead', 'go for it', 'by all means', 'do it', 'do that', 'correct',
  'that\'s right', 'right on', 'no problem', 'not a problem', 'no problem at all', 'no problemo', 'i don\'t mind', 'don\'t mind', 'do not mind', 'i wouldn\'t mind', 'wouldn\'t mind',
  'i do not mind', 'i agree', 'agreed', 'i consent', 'i accept', 'you can', 'you may', 'you can text me', 'you may text me',
  'text me', 'text is fine', 'texting is fine', 'texts are fine', 'text is good', 'you can text', 'feel free', 'i\'m fine with that',
  'i\'m okay with that', 'i\'m okay with it', 'i\'m fine with it', 'fine with me', 'okay with me', 'that\'s fine with me',
  'i\'d like that', 'i would like that', 'yes please', 'totally', 'for sure', 'i do', 'i would', 'affirmative',
  'sounds okay', 'cool', 'very good', 'will do', 'oh yeah', 'why yes', 'of course you can', 'i\'m good with that',
  'good with me', 'that\'s cool', 'that\'s perfect', 'that\'s great', 'exactly', 'indeed', 'sure you can', 'okie dokie',
  'that\'d be good', 'that would be good', 'that\'d be nice', 'that would be nice', 'that\'d be helpful', 'that would be helpful',
  // Affirmative idioms that hold a negation word: as whole phrases they win over "not", "don't", "can't".
  'why not', 'i don\'t see why not', 'don\'t see why not', 'i do not see why not', 'i can\'t see why not', 'can\'t see why not',
  'i see no reason why not', 'no reason why not', 'no reason not to', 'i see no reason not to', 'why wouldn\'t i',
  'i don\'t see a problem', 'don\'t see a problem', 'i don\'t see any problem', 'i don\'t have a problem', 'don\'t have a problem',
  'i do not have a problem', 'i don\'t have any problem', 'i don\'t have a problem at all', 'i have no problem', 'no problem with',
  'i have no problem at all', 'i don\'t have an issue', 'i have no issue', 'no issue', 'no issues', 'no objection', 'no objections',
  'i have no objection', 'i have no objections', 'i don\'t object', 'i do not object', 'can\'t hurt', 'it can\'t hurt',
  'couldn\'t hurt', 'wouldn\'t hurt', 'it wouldn\'t hurt', 'no harm in that', 'i don\'t mind at all',
];

/**
 * "Totally fine by me", "that's perfectly okay": an intensifier before a one-word affirmative is one
 * affirmative, so "not totally fine" is still negated as a whole (the development set's "X by me" misses,
 * test/fixtures/consent-answers/README.md).
 */
function intensifiedAffirmatives(): string[] {
  const out: string[] = [];
  for (const i of ['totally', 'completely', 'perfectly', 'absolutely', 'really', 'very', 'quite', 'just']) {
    for (const a of ['fine', 'okay', 'alright', 'all right', 'good', 'great', 'cool']) out.push(`${i} ${a}`, `that's ${i} ${a}`, `it's ${i} ${a}`);
  }
  return out;
}

/**
 * "uh huh", "mm hmm": a recognizer writes the same for a listening noise as for a yes, so alone they are
 * not an answer; beside a clear affirmative ("mhm, sure") they take nothing from it
 * (test/fixtures/consent-answers/README.md, the fresh held-out set).
 */
const BACKCHANNEL = ['uh huh', 'mm hmm', 'mhm', 'mmhmm', 'mm hm', 'uh hum'];

const NEGATE = [
  'no', 'nope', 'nah', 'naw', 'no thanks', 'no thank you', 'no way', 'not really', 'not now', 'never', 'stop', 'uh uh',
  'mm mm', 'don\'t', 'do not', 'please don\'t', 'i don\'t', 'i\'d rather not', 'i would rather not', 'rather not',
  'i\'d prefer not', 'i prefer not', 'i\'d prefer you didn\'t', 'not interested', 'i\'m not interested', 'no texts',
  'no text', 'no texting', 'no messages', 'call me instead', 'call instead', 'just call', 'just call me', 'only call',
  'only call me', 'call me back instead', 'i\'d rather you call', 'i prefer a call', 'prefer a call', 'rather you call',
  'unsubscribe', 'opt out', 'remove me', 'leave me alone', 'absolutely not', 'definitely not', 'certainly not',
  'of course not', 'no sir', 'no ma\'am', 'i do not', 'i can\'t', 'can\'t', 'cannot', 'you can\'t', 'you cannot', 'don\'t text',
  'don\'t text me', 'do not text', 'do not text me', 'i don\'t want', 'i do not want', 'no i don\'t', 'negative', 'pass',
  'i\'ll pass', 'hard pass', 'not okay', 'not ok', 'not fine', 'not good', 'that\'s not okay', 'not at all', 'nuh uh',
  'no good', 'wait no', 'i decline', 'decline', 'refuse', 'i refuse', 'wrong number', 'i don\'t text', 'no cell', 'landline', 'i won\'t',
];

const NEGATOR = ['not', 'didn\'t', 'wouldn\'t', 'isn\'t', 'doesn\'t', 'shouldn\'t'];

const HEDGE = [
  'maybe', 'maybe not', 'perhaps', 'i guess', 'i guess so', 'guess so', 'i suppose', 'i suppose so', 'suppose so',
  'whatever', 'i don\'t care', 'don\'t care', 'i do not care', 'i don\'t know', 'i dunno', 'dunno', 'not sure', 'i\'m not sure',
  'probably', 'possibly', 'depends', 'it depends', 'i think so', 'kind of', 'kinda', 'sort of', 'i\'m good', 'i\'m fine',
  'i\'m okay', 'i\'m all set', 'we\'re good', 'we\'re fine', 'all set', 'if you have to', 'if you must', 'i mean', 'hmm',
  'let me think', 'hold on', 'wait', 'one second', 'hang on', 'eh', 'meh', 'i don\'t think so', 'not sure about that',
  'fine whatever', 'doesn\'t matter', 'it doesn\'t matter', 'either way', 'as long as', 'if', 'only if', 'unless',
];

const QUESTION = [
  'what', 'who', 'why', 'how', 'when', 'where', 'which', 'huh', 'pardon', 'sorry', 'excuse me', 'come again', 'repeat',
  'say that again', 'can you repeat', 'is this', 'are you', 'is that', 'do you', 'will you', 'how much', 'what for',
  'what was that', 'what did you say', 'is this a robot', 'am i talking to', 'hello', 'hello hello', 'anyone there',
];

const CONTRAST = ['but', 'actually', 'except', 'although', 'though', 'however', 'instead', 'rather', 'on second thought'];

const FILLER = ['um', 'uh', 'umm', 'uhh', 'er', 'erm', 'ah', 'oh', 'well', 'so', 'like', 'and', 'just', 'really', 'oh well'];

const POLITE = [
  'please', 'thanks', 'thank you', 'thank you so much', 'thanks so much', 'thank you very much', 'appreciate it', 'i appreciate it',
  'bye', 'goodbye', 'bye bye', 'have a good day', 'have a nice day', 'you too', 'sir', 'ma\'am', 'buddy', 'man',
];

const CONTEXT = [
  'me', 'do', 'that', 'that\'s', 'it', 'it\'s', 'is', 'would', 'be', 'to', 'with', 'the', 'a', 'this', 'number', 'at this number',
  'on this number', 'this number', 'my phone', 'my cell', 'on my cell', 'to my cell', 'to this number', 'text', 'texts',
  'a text', 'me a text', 'send me a text', 'you can send me a text', 'send it', 'send them', 'send me', 'message me', 'for me',
  'i', 'you', 'can', 'will', 'go', 'ahead',
  'very', 'so much', 'too', 'also', 'then', 'now', 'here', 'there', 'info', 'the info', 'information', 'details', 'updates', 'about it', 'about that', 'about my service',
  'about the service', 'about the repair', 'about my request', 'the service', 'the repair', 'the appointment',
  // "fine by me", "okay by me": the affirmative carries the answer; "not fine by me" is still negated.
  'by me', 'at all', 'here',
];

/**
 * Remarks that favour texting, said after a yes ("yes, texting is easier, I'm at work"): they carry no
 * decision of their own (tagged `context`), so a yes with one still grants and a remark alone does not.
 * Built from parts so that "texts are easier than calls" and "texting works better for me" are covered
 * alike; phrases holding "can't" or "don't" must be listed whole so those words are not read as refusals.
 */
function textingRemarks(): string[] {
  const what = ['texting', 'text', 'texts', 'a text', 'text messages', 'a text message', 'texting me', 'a text', 'that'];
  const verb = ['is', 'are', 'works', 'would be', 'is just', 'is always', 'is much', 'is way', 'works much', 'is a lot'];
  const how = ['better', 'easier', 'best', 'easiest', 'quicker', 'faster', 'simpler', 'more convenient', 'the best way', 'the easiest way', 'good'];
  const tail = ['', 'for me', 'than a call', 'than calls', 'than calling', 'than phone calls', 'than talking', 'to reach me', 'way to reach me', 'for me than calls', 'for me anyway'];
  const out: string[] = [];
  for (const w of what) for (const v of verb) for (const h of how) for (const t of tail) out.push([w, v, h, t].filter((x) => x !== '').join(' '));
  // "text me, that's easier": the remark may name texting by "that" or "it" with the verb run in.
  for (const w of ['that\'s', 'it\'s', 'that\'d be', 'it\'d be', 'that\'s much', 'that\'s way', 'it\'s much', 'it\'s way', 'that\'s a lot', 'it\'s a lot']) {
    for (const h of how) for (const t of tail) out.push([w, h, t].filter((x) => x !== '').join(' '));
  }
  for (const who of ['i', 'i\'d', 'i would', 'i really', 'i\'d much', 'i\'d really']) {
    for (const pref of ['prefer', 'rather get', 'rather have', 'like', 'rather text', 'prefer to get']) {
      for (const obj of ['texts', 'texting', 'a text', 'text messages', 'text', 'a text message', 'texts better', 'texting better', '']) {
        const p = [who, pref, obj].filter((x) => x !== '').join(' ');
        // "I'd rather text than talk": the thing not preferred may be a noun or a bare verb.
        const than = ['calls', 'a call', 'talking', 'talk', 'call', 'calling', 'phone calls', 'a phone call', 'talk on the phone'];
        if (p.split(' ').length >= 3) out.push(p, ...than.map((x) => `${p} than ${x}`));
      }
    }
  }
  out.push(
    'i\'m at work', 'i am at work', 'i\'m working', 'i\'m busy', 'i\'m at work right now', 'i work all day',
    'i can\'t pick up', 'i can\'t pick up at work', 'i can\'t always pick up', 'i can\'t always answer', 'i can\'t answer calls',
    'i can\'t answer at work', 'i can\'t talk at work', 'i can\'t take calls', 'i can\'t take calls at work', 'i can\'t hear well',
    'i can\'t hear well on the phone', 'i can\'t hear on the phone', 'i don\'t hear well', 'calls are hard for me', 'calls are hard',
    'i miss calls', 'i miss a lot of calls', 'i check my phone a lot', 'i check my texts', 'i always check my texts',
    'don\'t call', 'don\'t call me', 'please don\'t call', 'no calls', 'no need to call',
    'that\'s the best way to reach me', 'that\'s the easiest way to reach me', 'the best way to reach me', 'best way to reach me',
  );
  return out;
}

/** Spellings an ASR commonly emits, mapped to the lexicon's spelling. */
export const SPELLING: Readonly<Record<string, string>> = {
  ok: 'okay', k: 'okay', kay: 'okay', okey: 'okay', 'o.k.': 'okay', yea: 'yeah', ya: 'yeah', yah: 'yeah',
  yeh: 'yeah', yess: 'yes', yesss: 'yes', yas: 'yes', dont: 'don\'t', thats: 'that\'s', im: 'i\'m', id: 'i\'d', ill: 'i\'ll',
  cant: 'can\'t', wont: 'won\'t', its: 'it\'s', doesnt: 'doesn\'t', didnt: 'didn\'t', isnt: 'isn\'t', wouldnt: 'wouldn\'t',
  thx: 'thanks', thanx: 'thanks', alrighty: 'alright', aight: 'alright', mmhm: 'mhm', mhmm: 'mhm', mmm: 'hmm', hm: 'hmm',
  hmmm: 'hmm', naa: 'nah', nope: 'nope', yup: 'yup', uhhuh: 'uh huh', uhuh: 'uh uh', 'we\'re': 'we\'re', thankyou: 'thank you',
  whats: 'what', 'what\'s': 'what', "who's": 'who', okaaay: 'okay', noo: 'no', nooo: 'no', yeahh: 'yeah',
};

export interface LexEntry {
  readonly words: readonly string[];
  readonly tag: LexTag;
}

/** All phrases, longest first, so a greedy scan picks the longest match at each position. */
export function buildLexicon(): readonly LexEntry[] {
  const groups: Array<[LexTag, readonly string[]]> = [
    ['affirm', [...AFFIRM, ...intensifiedAffirmatives()]], ['backchannel', BACKCHANNEL], ['negate', NEGATE], ['negator', NEGATOR], ['hedge', HEDGE], ['question', QUESTION],
    ['contrast', CONTRAST], ['filler', FILLER], ['polite', POLITE], ['context', [...CONTEXT, ...textingRemarks()]],
  ];
  const seen = new Set<string>();
  const out: LexEntry[] = [];
  for (const [tag, phrases] of groups) {
    for (const p of phrases) {
      if (seen.has(p)) continue; // the first group that lists a phrase owns it
      seen.add(p);
      out.push({ words: p.split(' '), tag });
    }
  }
  return out.sort((a, b) => b.words.length - a.words.length);
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
