/**
 * What may grant and what is neutral beside it: affirmative cues (words, idioms, built forms such as
 * "that's totally fine by me"), backchannels, and remarks that favour texting. Each phrase is matched whole,
 * longest first (consent-lexicon.ts); why each group exists: src/domain/consent/README.md.
 */

import { POORLY } from './disqualifier-phrases.ts';

const AFFIRM: readonly string[] = [
  'yes', 'yeah', 'yep', 'yup', 'yes sir', 'yes ma\'am', 'sure', 'sure thing', 'surely', 'okay', 'alright', 'all right',
  'fine', 'good', 'great', 'perfect', 'absolutely', 'definitely', 'certainly', 'of course', 'please do', 'go ahead', 'go right ahead',
  'go for it', 'by all means', 'do it', 'do that', 'correct', 'that\'s right', 'right on', 'i agree', 'agreed', 'i consent', 'i accept',
  'you can', 'you may', 'you can text me', 'you may text me', 'text me', 'please text', 'please text me', 'you can text', 'feel free', 'feel free to',
  'i\'d like that', 'i would like that', 'yes please', 'totally', 'for sure', 'i do', 'i would', 'affirmative', 'cool', 'very good',
  'will do', 'oh yeah', 'why yes', 'of course you can', 'exactly', 'indeed', 'sure you can', 'okie dokie', 'okie doke',
  'you bet', 'you got it', 'deal', 'it\'s a deal', 'that\'s what up', 'sounds like a plan', 'that\'s a plan', 'i say yes', 'i said yes', 'the answer is yes',
  'my answer is yes', 'that\'s a yes', 'it\'s a yes', 'you have my permission', 'you have permission', 'permission granted',
  'you have my consent', 'i give you permission', 'i give permission', 'i give my permission', 'i give consent', 'i give my consent',
  'text away', 'fire away', 'shoot me a text', 'drop me a text', 'send it my way', 'hit me up', 'count me in', 'sign me up',
  'put me down for', 'i\'m all for it', 'all for it', 'anytime', 'any time',
  'you\'re welcome to', 'i\'d love that', 'i would love that', 'i\'d love it', 'i\'d appreciate that', 'i\'d appreciate it',
  'i would appreciate that', 'i would appreciate it', 'i\'m down for that', 'i\'m down with that', 'awesome', 'excellent', 'wonderful',
  'lovely', 'that\'s the way to go', 'most definitely', 'let\'s do it', 'let\'s do that', 'i sure do',
  'text me instead', 'please text me instead', 'just text me instead', 'absolutely yes', 'just text', 'just text me', 'text me please', 'send me a text', 'please send me a text',
  'you can send me a text', 'send it', 'send them', 'send it over', 'texts please', 'text please', 'by text please', 'message me',
  'you can message me', 'send me a message', 'shoot me a message', 'you betcha', 'go on ahead', 'that\'ll do', 'all righty',
  'okay dokey', 'good idea', 'great idea', 'a good idea', 'keep me posted', 'keep me updated', 'keep me in the loop',
  'give me a heads up', 'send me a heads up', 'let me know by text', 'i\'m on board', 'on board', 'my preference',
  'that\'s what i\'d prefer', 'that\'s what i prefer', 'that\'s what i want', 'i want you to text me', 'i want texts', 'i want a text',
  'i\'d want that', 'i want that',
  ...['i\'d like', 'i would like', 'i\'d love', 'i would love'].flatMap((w) => ['a text', 'texts', 'a text message', 'text messages', 'to get texts', 'to get a text', 'to receive texts', 'to be texted', 'you to text me'].map((x) => `${w} ${x}`)),
  // "text me the estimate": what is to be texted, not a yes to the estimate ("yes, the estimate is fine" is an aside)
  ...['text me', 'send me', 'please text me', 'please send me'].flatMap((t) => ['the estimate', 'an estimate', 'the quote', 'a quote', 'the price', 'the time', 'the address', 'the confirmation', 'a reminder', 'the appointment time'].map((x) => `${t} ${x}`)),
  // "text me instead of calling": listed whole, or "text me instead" would leave "of calling" behind.
  ...['text me', 'text', 'just text me', 'send me a text', 'send a text'].flatMap((t) => ['instead of calling', 'instead of a call', 'instead of calls', 'rather than call', 'rather than calling', 'rather than a call'].map((a) => `${t} ${a}`)),
  // Affirmative idioms that hold a negation word: as whole phrases they win over "not", "don't", "can't".
  'why not', 'i don\'t see why not', 'don\'t see why not', 'i do not see why not', 'i can\'t see why not', 'can\'t see why not',
  'i see no reason why not', 'no reason why not', 'i don\'t see why you couldn\'t', 'don\'t see why you couldn\'t', 'i don\'t see why you can\'t',
  'don\'t see why you can\'t', 'no reason not to', 'i see no reason not to', 'why wouldn\'t i',
  // dev-55: "yeah i don't see any reason why not", "all good by me"
  'i don\'t see any reason why not', 'don\'t see any reason why not', 'i don\'t see any reason not to', 'i can\'t see any reason why not', 'all good by me', 'all good with me',
  'no prob', 'no probs', 'no biggie', 'no problemo', 'not a problem', 'not a problem at all',
  'can\'t hurt', 'it can\'t hurt', 'couldn\'t hurt', 'wouldn\'t hurt', 'it wouldn\'t hurt', 'no harm in that', 'i wouldn\'t say no',
  'say no more', 'no bother', 'no bother at all', 'it\'s no bother', 'not a bother', 'no trouble', 'no trouble at all', 'it\'s no trouble',
  'not an issue', 'no big deal', 'not a big deal', 'it\'s no big deal',
  ...['wouldn\'t', 'won\'t', 'shouldn\'t', 'would not', 'will not', 'should not', 'isn\'t going to', 'ain\'t gonna'].flatMap((n) => ['a problem', 'an issue', 'a bother', 'any problem', 'any trouble', 'a big deal', 'a problem at all'].map((x) => `${n} be ${x}`)),
  // Recognizer slips that split or drop a word of the idiom ("go a head", "go head"), and the uninflected "that work for me".
  'go head', 'go a head', 'go on a head', 'go right a head', 'go on head', 'go ahead on', 'go on and text', 'go on and text me',
  ...['that', 'it', 'this'].flatMap((s) => ['work', 'work for me', 'work fine', 'work fine for me', 'work good', 'work good for me'].map((w) => `${s} ${w}`)),
  // Emphatic, regional and radio forms: "heck yeah", "yeah buddy", "i'm down" (Spanish yes-words are FOREIGN_YES below).
  'heck yeah', 'heck yes', 'hell yeah', 'hell yes', 'hell to the yes', 'yeah buddy', 'i\'m down', 'i\'m down for it', 'i\'m down for that', 'down for it',
  // "you can go ahead" (not "you can go | play"), "go on then", "without a doubt", "darn right"
  ...['you can', 'you may', 'y\'all can', 'yes you can'].flatMap((y) => ['go ahead', 'go right ahead', 'go on ahead', 'go head', 'go a head', 'go on and text', 'go on and text me', 'go ahead and text', 'go ahead and text me'].map((g) => `${y} ${g}`)),
  'go on', 'go on then', 'without a doubt', 'no doubt', 'no doubt about it', 'darn tootin', 'darn right', 'damn right', 'darn straight',
  'please and thank you', 'please and thanks', 'yes please and thank you', 'bet', 'bet bet',
  // "why, of course": "why" as an interjection before a yes (a question mark still makes the answer unclear)
  'why sure', 'why of course', 'why certainly', 'why absolutely', 'fo sho', 'for shizzle', 'sure nuff', 'sure enough', 'yes siree', 'yes sirree', 'yes sir e',
  // "that would help", "that helps a lot": the texts would be a help
  ...['that would', 'that\'d', 'it would', 'it\'d', 'this would', 'texting would', 'a text would', 'texts would'].flatMap((w) => ['help', 'help a lot', 'help me', 'really help', 'help me out', 'help a bunch', 'be a help'].map((h) => `${w} ${h}`)),
  ...['send me', 'you can send me', 'you may send me', 'please send me', 'just send me', 'sure send me'].flatMap((v) => ['a text message', 'text messages', 'a message', 'messages', 'the text message', 'the text messages'].map((m) => `${v} ${m}`)),
  // idioms for "send me a text": "ping me", "fire off a text", "drop me a line", "consider it done", "I'm game"
  'ping me', 'just ping me', 'ping me by text', 'ping me on text', 'you can ping me', 'fire off a text', 'fire me a text', 'fire off a message',
  'shoot off a text', 'drop me a line', 'drop me a line by text', 'consider it done', 'no skin off my nose', 'no skin off my back',
  'i\'m game', 'i\'m game for that', 'count me in', 'you\'re more than welcome to', 'you are more than welcome to', 'more than welcome to',
  // formal forms: "you may contact me by text", "I'm agreeable to that", "you have my okay"
  ...['', 'you may ', 'you can ', 'please ', 'feel free to ', 'yes you may ', 'yes you can '].flatMap((y) => ['contact me', 'reach me', 'get in touch', 'get ahold of me', 'update me', 'notify me', 'reach out'].flatMap((v) => ['by text', 'via text', 'by text message', 'over text', 'through text', 'on text', 'by sms', 'via sms'].map((m) => `${y}${v} ${m}`))),
  'i\'m agreeable to that', 'i am agreeable to that', 'i\'m agreeable to it', 'i\'m agreeable', 'i am agreeable', 'you have my okay', 'you have my ok', 'you have my blessing',
  'you have my go ahead', 'you have the green light', 'you have my approval',
  // "a hundred percent", "one hundred percent": an emphatic yes ("a hundred texts a day" stays sarcasm)
  'a hundred percent', 'one hundred percent', 'hundred percent', 'a hundred percent yes', 'one hundred percent yes', '100 percent',
  // recognizer slips of "text me": "tech's me", "text knee"
  'tech\'s me', 'techs me', 'text knee', 'you can tech\'s me', 'go ahead and tech\'s me',
  'that helps', 'that helps a lot', 'it helps', 'that really helps', 'that helps me', 'i\'d prefer that', 'i would prefer that', 'i prefer that',
  // "hit my phone", "opt me in": idioms for a go-ahead to text; a bare "hit me" stays unknown
  ...['hit my phone', 'hit my cell', 'hit my line', 'hit me', 'hit my phone up', 'hit my cell up', 'hit my line up'].flatMap((h) => (h === 'hit me' ? [] : [h]).concat([`${h} with a text`, `${h} with a message`, `${h} by text`])),
  'opt me in', 'please opt me in', 'i opt in', 'i\'ll opt in', 'i will opt in', 'opt in', 'you can opt me in', 'sign me in',
  'you can tax me', 'tax me', 'you can revert', 'revert by text', 'revert on text', 'you can revert on text', 'you can revert by text',
  // "mándame un texto", "me puede mandar mensajes": a Spanish request for texts ("no me mandes nada" refuses by its "no")
  ...['mandame', 'me puede mandar', 'me puedes mandar', 'puede mandarme', 'puedes mandarme', 'enviame', 'me puede enviar', 'puede enviarme', 'me pueden mandar', 'pueden mandarme', 'textearme', 'texteame'].flatMap((v) => ['un texto', 'texto', 'textos', 'mensajes', 'un mensaje', 'mensajes de texto', 'un mensaje de texto', 'el texto'].map((o) => `${v} ${o}`)),
  ...['you\'re', 'you are'].flatMap((y) => ['good to', 'fine to', 'okay to', 'free to', 'clear to', 'good to go', 'all good to'].flatMap((h) => ['', ' text me', ' text', ' go ahead', ' send it'].map((w) => `${y} ${h}${w}`))),
  // An impatient repeat of a yes already given.
  ...['i already said', 'already said', 'i said', 'i told you', 'i already told you'].flatMap((w) => ['yes', 'yes already', 'go ahead', 'it\'s fine', 'that\'s fine', 'okay', 'sure'].map((x) => `${w} ${x}`)),
  'yes already', 'i said yes already', 'i said yeah',
  // "exactly what I wanted/needed" is the stock sarcastic remark (dev-45, heldout-11): only the present wish grants
  'exactly what i want', 'exactly what i\'d like', 'exactly what i would like', 'that\'s exactly what i want',
  ...['i want', 'i\'d like', 'i would like', 'i\'d appreciate', 'i would appreciate', 'i\'d love', 'i\'d prefer', 'i would prefer', 'i prefer'].flatMap((w) => ['the text', 'the texts', 'a text', 'text', 'texts', 'text messages', 'the text messages', 'a text message', 'the updates by text', 'updates by text'].map((x) => `${w} ${x}`)),
  // formal consent: "I authorize text messages", "I agree to receive texts", "that would suit me fine"
  ...['i', 'we', 'yes i'].flatMap((who) => ['consent to', 'agree to', 'authorize', 'authorize you to send', 'authorize you to send me', 'accept'].flatMap((v) => ['receive texts', 'receive text messages', 'receiving texts', 'receiving text messages', 'text messages', 'texts', 'being texted', 'get texts', 'getting texts'].map((o) => `${who} ${v} ${o}`))),
  'i authorize you to text me', 'i authorize you to text', 'i authorize texts', 'i authorize texting',
  ...['that\'d', 'that would', 'that will', 'that\'ll', 'it\'d', 'it would', 'it'].flatMap((s) => ['suit me', 'suit me fine', 'suit me just fine', 'suit me well', 'suits me', 'suits me fine', 'suits me just fine'].map((x) => `${s} ${x}`)),
  'suits me', 'suits me fine', 'suits me just fine', 'that suits me', 'that suits me fine', 'that suits me just fine',
  // a non-native "please send text": the English request beside a foreign yes ("haan ji please send text", dev-11)
  'please send text', 'please send texts', 'you can send text',
  // Spanish requests naming the texts: "mande el texto" (its "no problem" and "perfect" are FOREIGN_YES below)
  'mande el texto', 'mande texto', 'mandeme el texto', 'mandeme un texto', 'mande los textos', 'mande un texto',
  // recognizer slips of a cue that leave no other reading: "sure think" for "sure thing" ("sure, think about it" is a hedge, longer)
  'sure think',
  // regional, slang and idiomatic yeses ("be my guest", "aye", "say less", "fair enough", "righto", "cool beans", "I'm all in")
  'be my guest', 'okie', 'aye', 'aye aye', 'say less', 'fair enough', 'that\'s fair enough', 'righto', 'right o', 'cool beans', 'i\'m all in', 'all in',
  'i approve', 'i approve of that', 'i approve of it', 'i approve texts', 'i approve text messages',
];

/** Strong enough to grant beside words the lexicon does not know? These alone are not (a discourse "okay, so…"). */
export const WEAK_AFFIRM: ReadonlySet<string> = new Set([
  'okay', 'alright', 'all right', 'fine', 'good', 'great', 'perfect', 'cool', 'very good', 'awesome', 'excellent', 'wonderful', 'lovely',
  'correct', 'exactly', 'indeed', 'right on', 'totally', 'yeah', 'oh yeah', 'i do', 'i would', 'you can', 'you may', 'do it', 'do that',
  'i\'m down', 'yeah buddy', 'down for it', 'bet', 'bet bet', 'go on',
]);

/**
 * Cues that answer any yes-or-no question ("yes", "sure", "of course"), as against consent phrases that
 * answer this one ("go ahead", "text me", "that's fine", "yes please"). A term of endearment, the job
 * itself or an acknowledgment beside only these is likely an answer to someone or something else
 * (README.md, "Words that depend on the answer around them").
 */
export const BARE_YES: ReadonlySet<string> = new Set([
  ...WEAK_AFFIRM, 'yes', 'yep', 'yup', 'sure', 'yes sir', 'yes ma\'am', 'of course', 'absolutely', 'definitely', 'certainly', 'surely',
  'sure thing', 'why yes', 'for sure', 'you bet', 'you betcha', 'you got it', 'affirmative', 'most definitely', 'absolutely yes', 'i agree',
  'agreed', 'heck yeah', 'heck yes', 'hell yeah', 'hell yes', 'hell to the yes', 'will do', 'a hundred percent', 'one hundred percent', 'hundred percent',
  'a hundred percent yes', 'one hundred percent yes', '100 percent', 'why sure', 'why of course', 'why certainly', 'why absolutely', 'fo sho', 'for shizzle', 'okie dokie', 'okie doke', 'okay dokey', 'all righty', 'indeed',
  'i said yes', 'yes already', 'i said yes already', 'i said yeah', 'i already said yes', 'already said yes', 'i told you yes',
  'aye', 'aye aye', 'righto', 'right o', 'fair enough', 'cool beans', 'okie',
]);

/**
 * "that's fine", "texting is okay", "sounds great": subject and adjective as one cue. Intensifiers
 * ("totally", "perfectly") are filler and "with me", "by me" context, so "that's perfectly fine by me" reads
 * as one cue among neutral words, and "not perfectly fine" is still negated.
 */
/** Enthusiastic adjectives that "just" turns sarcastic in the present ("that's just great"); "just fine" stays plain. */
const JUST_SARCASTIC = new Set(['great', 'perfect', 'wonderful', 'lovely', 'awesome', 'excellent', 'ideal', 'super', 'fantastic', 'terrific', 'amazing', 'brilliant', 'swell', 'splendid', 'superb', 'peachy', 'dandy', 'grand']);
/** A subject that wishes ("that'd be", "it would be") rather than remarks on what is. */
const WOULD_BE = /(?:'d|would|'ll|will) be$/;

function describedAffirmatives(): string[] {
  const subjects = [
    'that\'s', 'that is', 'it\'s', 'it is', 'that\'d be', 'that would be', 'that\'ll be', 'that will be', 'it\'d be', 'it would be',
    'it\'ll be', 'this is', 'texting is', 'texting\'s', 'texts are', 'text is', 'a text is', 'a text would be', 'texting me is',
    'text messages are', 'texting would be', 'a text message is', 'this number is', 'this number\'s', 'that number is',
    'message is', 'messages are', 'a message is', 'messaging is', 'text message is', 'sms is', 'sms are', 'an sms is', 'sms messages are',
    'sounds', 'that sounds', 'it sounds', 'sound', 'all sounds', 'that all sounds', 'texting sounds', 'a text sounds',
    // "is" written as "his" ("texting his fine")
    'texting his', 'that his', 'it his', 'text his',
  ];
  const adjectives = [
    'fine', 'okay', 'alright', 'all right', 'good', 'great', 'perfect', 'cool', 'nice', 'helpful', 'wonderful', 'awesome', 'excellent',
    'lovely', 'acceptable', 'ideal', 'convenient', 'no problem', 'a good idea', 'a great idea', 'like a plan', 'like a good idea',
    'a big help', 'a huge help', 'a great help', 'a help', 'a lifesaver', 'a relief',
    // a recognizer's slip for "fine": "that's find", "that's fined"
    'find', 'fined', 'agreeable', 'handy', 'grand', 'fair', 'ace', 'dandy', 'fine and dandy', 'peachy',
    // and of "good", "fine" ("sounds god", "sounds goo", "that's fin"; "god awful" is a refusal, longer)
    'god', 'goo', 'gud', 'fin',
    // other adjectives of approval ("that'd be super", dev-27; "sounds terrific")
    'super', 'fantastic', 'terrific', 'amazing', 'brilliant', 'swell', 'splendid', 'superb', 'goods',
  ];
  // "that'd be really helpful": an intensifier between subject and adjective keeps the cue whole
  const intensifiers = ['', 'really', 'very', 'so', 'super', 'totally', 'perfectly', 'pretty', 'quite', 'just', 'absolutely', 'real', 'more than', 'wicked', 'most'];
  const out: string[] = [];
  for (const s of subjects) {
    for (const i of intensifiers) {
      for (const a of adjectives) {
        // "that's just great", "sounds just perfect": the stock sarcastic remark (SARCASM "just great"; dev-45,
        // heldout-11); "that'd be just lovely" (dev-24) and "that's just fine" (dev-24) stay cues
        if (i === 'just' && !WOULD_BE.test(s) && JUST_SARCASTIC.has(a)) continue;
        out.push([s, i, a].filter((x) => x !== '').join(' '));
      }
    }
  }
  for (const a of ['fine', 'okay', 'alright', 'all right', 'good', 'great', 'cool']) for (const t of ['with me', 'by me', 'for me']) out.push(`${a} ${t}`);
  // "that works", "that'll work for me", "texting works"
  for (const s of ['that', 'it', 'this', 'texting', 'text', 'a text', 'texts', 'text messages', '']) {
    for (const v of ['works', 'works fine', 'works great', 'works perfectly', 'works just fine', 'totally works', 'work']) {
      for (const t of ['', 'for me', 'by me', 'with me']) {
        if (s === '' && v !== 'works') continue;
        if (v === 'work' && !['texts', 'text messages'].includes(s)) continue;
        out.push([s, v, t].filter((x) => x !== '').join(' '));
      }
    }
  }
  for (const s of ['that\'ll', 'that will', 'that\'d', 'that would', 'it\'ll', 'it would', 'it\'d', 'texting would', 'a text would', 'texts would', 'this will']) {
    for (const t of ['work', 'work for me', 'work fine', 'work great']) out.push(`${s} ${t}`);
  }
  return out;
}

/** "I'm fine with that", "happy to get texts", "I don't mind if you text me", "I have no problem with texts". */
function stanceAffirmatives(): string[] {
  const out: string[] = [];
  const objects = ['that', 'it', 'this', 'texts', 'texting', 'a text', 'text messages', 'texting me', 'getting texts', 'getting a text', 'being texted', 'you texting me', 'those', 'them', 'a text message'];
  for (const who of ['', 'i\'m', 'i am', 'i\'d be', 'i would be', 'i\'ll be', 'we\'re', 'we are', 'i\'m totally', 'i\'m perfectly', 'i\'m completely', 'i\'m really', 'i\'m good', 'i\'m all', 'we\'re all']) {
    for (const how of ['fine', 'okay', 'alright', 'all right', 'good', 'cool', 'happy', 'comfortable', 'totally fine', 'perfectly fine', 'absolutely fine', 'more than happy']) {
      for (const o of objects) out.push([who, how, 'with', o].filter((x) => x !== '').join(' '));
    }
    for (const how of ['happy to', 'glad to', 'more than happy to', 'happy for you to', 'fine for you to', 'okay for you to']) {
      for (const what of ['', 'get texts', 'get a text', 'receive texts', 'get them', 'be texted', 'get text messages', 'get updates', 'hear from you', 'text me', 'text']) {
        out.push([who, how, what].filter((x) => x !== '').join(' '));
      }
    }
  }
  for (const m of ['i don\'t mind', 'don\'t mind', 'i do not mind', 'i wouldn\'t mind', 'wouldn\'t mind']) {
    for (const what of ['', 'at all', 'one bit', 'a bit', 'texts', 'a text', 'texting', 'getting texts', 'getting a text', 'that', 'it', 'if you text me', 'if you text', 'if you send me a text', 'if you send it', 'if you do']) {
      out.push([m, what].filter((x) => x !== '').join(' '));
    }
  }
  for (const have of ['i have no', 'i\'ve got no', 'i got no', 'got no', 'no', 'i see no', 'see no', 'i don\'t have a', 'i don\'t have any', 'don\'t have a', 'i do not have a', 'i don\'t see a', 'i don\'t see any', 'don\'t see a', 'i don\'t have an', 'i can\'t see a', 'i can\'t see any', 'can\'t see a', 'i\'ve no']) {
    for (const what of ['problem', 'problems', 'issue', 'issues', 'objection', 'objections', 'complaint']) {
      for (const o of ['', 'with that', 'with it', 'with this', 'with texts', 'with texting', 'with a text', 'at all', 'with that at all', 'here', 'with me']) {
        out.push([have, what, o].filter((x) => x !== '').join(' '));
      }
    }
  }
  for (const o of ['that', 'it', 'a text', 'texts', 'texting', 'this']) out.push(`nothing wrong with ${o}`, `there's nothing wrong with ${o}`);
  return out;
}

/**
 * "uh huh", "mm hmm": a recognizer writes the same for a listening noise as for a yes, so alone they are
 * not an answer; beside a clear affirmative ("mhm, sure") they take nothing from it
 * (test/fixtures/consent-answers/README.md).
 */
export const BACKCHANNEL: readonly string[] = ['uh huh', 'mm hmm', 'mhm', 'mmhmm', 'mm hm', 'uh hum'];

/**
 * Yes-words of other languages ("sí", "claro", "haan", "da", "tak", "oui", "sim", "wi"): neutral beside an English
 * affirmative ("da yes it's okay", "sí, yes, text me"), a word the lexicon does not know alone, so "si", "Claro." and
 * "haan" with no English yes are unclear: the recognizer may have misheard a word of another language, and the consent
 * question was asked in English (heldout-8's false opt-ins, dev-36; README.md, "A yes-word of another language").
 */
export const FOREIGN_YES: readonly string[] = [
  'da', 'ja', 'oui', 'tak', 'ne', 'wi', 'sim', 'po', 'hai', 'pode', 'pode mandar', 'dale', 'evet', 'igen', 'jes',
  // Spanish (once cues of their own: heldout-8 granted "si" and "Claro." alone), Hindi "haan", and the yes-words dev-36
  // writes ("vale", "jawohl", "natürlich", "bien sûr", "ndiyo", "shì de"); "no hay problema" is matched whole before "no"
  'si', 'claro', 'si claro', 'claro si', 'claro que si', 'por supuesto', 'si por favor', 'esta bien', 'de acuerdo', 'si senor', 'si senora', 'como no',
  'no hay problema', 'sin problema', 'no hay ningun problema', 'perfecto', 'si perfecto', 'haan', 'haan ji', 'vale', 'jawohl', 'naturlich', 'bien sur',
  'ndiyo', 'shi de',
  // Somali "haa" (dev-49's cab dispatcher: "Haa, yes. Text me.")
  'haa',
  // the languages heldout-7's writer gave its callers (dev-33, dev-34): Tagalog "oo", "opo", "sige" (go ahead), Vietnamese
  // "vâng" (written without its mark once normalized), Arabic "na'am", "aywa"; their no ("hindi", "không", "la") stays unknown
  'oo', 'opo', 'sige', 'vang', 'naam', 'na\'am', 'aywa', 'aiwa',
];
/**
 * The thanks of the same languages ("salamat", "shukran", "cảm ơn"): polite words, so beside a yes they take nothing
 * from it and alone they are no answer.
 */
export const FOREIGN_THANKS: readonly string[] = [
  'salamat', 'salamat po', 'maraming salamat', 'shukran', 'cam on', 'merci', 'obrigado', 'obrigada', 'mesi', 'dhanyavaad', 'dhanyavad', 'danke',
];

export const FILLER: readonly string[] = [
  'um', 'uh', 'umm', 'uhh', 'er', 'erm', 'ah', 'oh', 'ooh', 'well', 'so', 'like', 'and', 'just', 'really', 'oh well', 'hi', 'hey', 'honestly',
  'you know', 'ya know', 'basically', 'anyway', 'anyways', 'then', 'right', 'yeah so', 'okay so', 'whenever', 'also',
  // intensifiers: "that's perfectly fine", "texting is way easier"
  'perfectly', 'completely', 'quite', 'super', 'pretty', 'way', 'much', 'a lot', 'always', 'more than', 'wicked',
  // "whatever works", "whatever's easiest": anything the business finds easiest is fine (a filler: alone no answer;
  // "whatever" alone, "whatever works for you" stay a hedge and a question)
  'whatever works', 'whatever works best', 'whatever\'s easiest', 'whatever is easiest', 'whatever\'s easier', 'whatever\'s best',
  'whatever works for you guys', 'whatever\'s easiest for you guys', 'whatever is easiest for you guys', 'whatever\'s easiest for you',
  // exclamations before the answer ("oh my, yes"), and an impatient "come on" ("yeah yeah go ahead come on")
  'oh my', 'oh my gosh', 'oh my goodness', 'my goodness', 'goodness', 'gosh', 'oh gosh', 'golly', 'gee', 'bueno', 'pues', 'ay',
  // openers of speech that decide nothing (dev-52: "You know what, yes, that sounds good.", "yes like i said text me")
  'you know what', 'like i said', 'like i told you', 'like i say',
  // relief before the answer (dev-49: "oh thank god yes please text me", "Oh yes, praise the Lord, please do.")
  'thank god', 'thank goodness', 'thank heavens', 'thank the lord', 'praise the lord', 'praise god', 'oh god', 'oh lord',
  // openers of other speech: "mm", "for real", "deadass" (slang for "seriously"), "órale", the Hindi honorific "ji";
  // "no complaints" is neutral (it answers "how was it?" as well), so it needs a cue beside it
  // "no cap" (slang for "no lie") is emphasis like "for real", not a refusal (dev-30)
  'no cap', 'no cap fr', 'fr', 'fr fr',
  'mm', 'ope', 'for real', 'for real tho', 'for real though', 'deadass', 'orale', 'ji', 'no complaints', 'no complaints here', 'zero complaints',
  'zero complaints here', 'no complaints from me',
  // mild oaths before the answer ("well shoot, sure", "aw shucks", "dang, yeah"); "shoot me a text" is a cue, longer
  'shoot', 'well shoot', 'oh shoot', 'aw', 'aww', 'shucks', 'aw shucks', 'dang', 'darn', 'gosh darn', 'well dang', 'ugh', 'argh', 'sigh',
];

/**
 * Farewells: polite after an answer ("Yes, perfect. Talk to you soon."), but an okay with only these closes the
 * call rather than answering (call-closing.ts).
 */
export const FAREWELLS: readonly string[] = [
  'bye', 'goodbye', 'bye bye', 'bye now', 'have a good day', 'have a nice day', 'have a good one', 'have a good night', 'have a great day',
  'have a blessed day', 'take care', 'talk to you later', 'talk soon', 'talk to you soon', 'speak to you soon', 'see you soon', 'see ya',
  'catch you later', 'cheers',
];

export const POLITE: readonly string[] = [
  'please', 'thanks', 'thank you', 'thank you so much', 'thanks so much', 'thanks a bunch', 'thanks a ton', 'thanks a heap', 'thank you very much', 'appreciate it', 'i appreciate it',
  'thanks a lot', 'you too', 'sir', 'ma\'am', 'man', 'sorry', 'por favor', 'gracias', 'muchas gracias', 'thanks for calling', 'thank you for calling', ...FOREIGN_THANKS,
  // sign-offs ("Yes, perfect. Talk to you soon.")
  ...FAREWELLS, 'see you then', 'thanks again', 'thank you again', 'don\'t worry', 'don\'t worry about it',
  // no hurry for the visit ("text me, no rush"), not a refusal
  'no rush', 'no hurry', 'no rush at all', 'no hurry at all', 'there\'s no rush', 'there\'s no hurry', 'no big rush', 'take your time',
  // a thanks that says what it is for ("thanks for asking"): the words after it are its object (answer-shape.ts, THANKS_FOR)
  'thanks for', 'thank you for', 'thank you so much for', 'thanks so much for', 'thank you very much for', 'thanks a lot for', 'i appreciate you',
  'appreciate you', 'thanks for the', 'thank you for the', 'thank you for your', 'thanks for your',
];

/** Words that carry no decision: pronouns, "this number", what the texts are about. */
export const CONTEXT: readonly string[] = [
  // "all in" is a yes ("I'm all in") only where nothing follows it: "the manual is all in spanish" (dev-64)
  'all in the', 'all in a', 'all in my', 'all in one', 'all in all', 'all in spanish', 'all in english', 'all in there', 'all in here', 'all in writing',
  'me', 'do', 'that', 'that\'s', 'it', 'it\'s', 'is', 'would', 'be', 'to', 'with', 'the', 'a', 'this', 'number', 'at this number',
  'on this number', 'this number', 'my phone', 'my cell', 'my cell phone', 'on my cell', 'to my cell', 'to this number', 'text', 'texts',
  'a text', 'me a text', 'send me a text', 'you can send me a text', 'send it', 'send them', 'send me', 'message me', 'for me',
  'i', 'you', 'can', 'will', 'go', 'ahead', 'them', 'send it to me', 'send them to me', 'send',
  'very', 'so much', 'too', 'then', 'now', 'here', 'there', 'info', 'more info', 'more information', 'more details', 'the info', 'information', 'details', 'updates', 'about it', 'about that',
  'about my service', 'about the service', 'about the repair', 'about my request', 'the service', 'the repair', 'the appointment',
  'this call', 'about this call', 'about the call', 'after this call', 'after the call', 'right now', 'at the moment',
  // "fine by me", "okay by me": the affirmative carries the answer; "not fine by me" is still negated.
  'by me', 'with me', 'to me', 'at all', 'i\'m', 'texting', 'text messages', 'a text message', 'texting me', 'are', 'works',
  // "y'all can text me"; the terms just read out ("I know about the rates, go ahead")
  'texto', 'textos', 'mensaje', 'mensajes', 'y\'all', 'ya\'ll', 'you all', 'about', 'rates', 'the rates', 'data rates', 'message and data rates', 'msg and data rates', 'the terms',
  // "I'll read it when I stop for lunch": the caller stopping, not the STOP keyword
  ...['when i', 'once i', 'after i', 'whenever i'].flatMap((w) => ['stop', 'stop for gas', 'stop for lunch', 'stop driving', 'stop working', 'stop for a break'].map((x) => `${w} ${x}`)),
  // a battery or a temperature, not an hour ("my phone's at ten percent", "it's nine degrees")
  ...['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'fifteen', 'twenty'].flatMap((n) => [`${n} percent`, `at ${n} percent`, `${n} degrees`, `at ${n} degrees`]),
  'percent', 'degrees',
  // the caller's working hours, a reason to text ("text me, I work the night shift", "I work overnights", "I sleep
  // during the day"), not a time for the texts ("during the day" alone is one)
  'overnights', 'i work overnights', 'work overnights', 'i sleep during the day', 'sleep during the day', 'i sleep days', 'i work nights',
  'night shift', 'the night shift', 'the late shift', 'late shift', 'graveyard shift', 'the graveyard shift', 'day shift', 'the day shift',
];

/**
 * Remarks that favour texting, said beside a yes ("yes, texting is easier, I'm at work", "don't call, just
 * text me"): tagged `remark`, they carry no decision of their own (a remark alone does not grant) but make
 * a plain "yeah" beside unknown words a clear yes. Phrases holding "can't" or "don't" are listed whole so
 * those words are not read as refusals of texting.
 */
export function textingRemarks(): string[] {
  const out: string[] = [
    // "texting is way easier than calling": the comparison carries the preference; "is", "way" are neutral.
    'better', 'easier', 'best', 'easiest', 'quicker', 'faster', 'simpler', 'more convenient', 'the best way', 'the easiest way', 'the way to go',
    ...['than', 'over', 'instead of', 'rather than'].flatMap((w) => ['a call', 'calls', 'calling', 'phone calls', 'talking', 'talk', 'call', 'a phone call', 'talk on the phone', 'talking on the phone'].map((x) => `${w} ${x}`)),
    // "to" compares only after a preference ("I prefer it to calls"): "I want you to call me" asks for a call
    ...['', 'i ', 'i\'d ', 'i really ', 'i much '].flatMap((who) => ['prefer it', 'prefer that', 'prefer texts', 'prefer texting', 'prefer a text', 'prefer text'].flatMap((p) => ['to calls', 'to a call', 'to calling', 'to phone calls', 'to a phone call', 'to talking'].map((x) => `${who}${p} ${x}`))),
  ];
  for (const who of ['i', 'i\'d', 'i would', 'i really', 'i\'d much', 'i\'d really', 'i much']) {
    for (const pref of ['prefer', 'rather get', 'rather have', 'like', 'rather text', 'prefer to get', 'rather you text', 'rather you text me', 'prefer texting', 'prefer texts', 'prefer a text']) {
      for (const obj of ['texts', 'texting', 'a text', 'text messages', 'text', 'a text message', 'texts better', 'texting better', '']) {
        const p = [who, pref, obj].filter((x) => x !== '').join(' ');
        if (p.split(' ').length >= 3) out.push(p);
      }
    }
  }
  out.push(...negatedCallRemarks());
  out.push(
    'i work all day', 'i work nights', 'i work night shift',
    'calls are hard for me', 'calls are hard', 'i miss calls', 'i miss a lot of calls', 'i check my phone a lot', 'i check my texts',
    'i always check my texts', 'my voicemail is full', 'voicemail is full', 'unknown numbers', 'numbers i don\'t know', 'numbers i don\'t recognize',
    'don\'t call', 'don\'t call me', 'please don\'t call', 'no calls', 'no need to call', 'no phone calls', 'no to calls', 'not calls', 'not a call',
    'no need to call first', 'don\'t call first', 'no need to call ahead', 'calls i usually miss', 'calls i always miss', 'calls i miss', 'calls i never answer',
    'calls i never pick up', 'calls i don\'t answer', 'my voicemail\'s full', 'voicemail\'s full', 'my mailbox is full', 'my voicemail box is full',
    'my mailbox\'s full', 'i screen my calls', 'i screen calls', 'i screen all my calls', 'i screen all calls', 'more than my voicemail', 'than my voicemail', 'than voicemail', 'more than voicemail',
    'don\'t bother calling', 'don\'t leave a voicemail', 'don\'t leave a message', 'don\'t leave me a voicemail', 'don\'t leave me a message', 'no voicemail', 'no voicemails', 'text instead', 'texts instead', 'that\'s how i', 'that\'s how i do everything',
    'that\'s the best way to reach me', 'that\'s the easiest way to reach me', 'the best way to reach me', 'best way to reach me',
    'text me when', 'send me a text when', 'send a text when', 'text when', 'message me when', 'let me know when', 'let me know', 'keep me informed', 'update me', 'send it when',
    'the number i called from', 'number i called from', 'this is my cell', 'this is a cell', 'this is a cell phone', 'this is my cell phone',
    'it\'s a cell', 'it\'s a cell phone', 'it\'s my cell', 'this is a mobile', 'you can reach me', 'reach me', 'reach me here', 'by text',
    'keep an eye out for it', 'i\'ll keep an eye out', 'keep an eye on', 'i\'ll keep an eye on', 'i\'ll look out for it',
    'i\'ll watch for it', 'i\'ll look for it', 'i\'ll check my texts', 'i\'ll check my phone', 'i check my phone', 'i\'ll look for your text', 'is how i', 'texts only', 'text only', 'only text', 'only texts',
    'texting only', 'on a call', 'on a conference call', 'on calls', 'i\'m on a call', 'i\'m not home', 'i\'m never home', 'i\'m not at home', 'not home much', 'i\'m not home much',
    // "yes, because I'm at work": a reason about the caller; "because I love spam" still meets "love", "spam"
    ...['because', 'cause', 'since'].flatMap((w) => ['i\'m', 'i am', 'i work', 'i can\'t', 'i don\'t', 'i never', 'i\'m always', 'my'].map((x) => `${w} ${x}`)),
    'when i can', 'when i get a chance', 'when i get the chance', 'i\'ll reply', 'i\'ll answer', 'i\'ll get back to you',
    'i don\'t want to miss', 'don\'t want to miss', 'i don\'t want calls', 'i don\'t want a call', 'i don\'t want phone calls',
    // the caller's situation: "I'm driving so text is better", "I'm on the road, text me"
    ...CALLER_BUSY,
    ...optOutKnown(),
    // "my hearing isn't great, so texting is better": the negation is of the caller's hearing, not of texts
    ...['my hearing', 'hearing', 'my hearing\'s', 'my hearing on the phone'].flatMap((h) => POORLY.flatMap((x) => [`${h} ${x}`, `${h} ${x} on the phone`])),
    // the rates read out are accepted ("the data rates don't matter", "I have unlimited texting")
    ...['rates', 'the rates', 'data rates', 'the data rates', 'message rates', 'the message rates', 'message and data rates', 'msg and data rates', 'text rates', 'the charges', 'the cost'].flatMap((r) => ['don\'t matter', 'doesn\'t matter', 'don\'t bother me', 'doesn\'t bother me', 'are fine', 'is fine', 'are okay', 'aren\'t a problem', 'isn\'t a problem', 'are no problem'].map((x) => `${r} ${x}`)),
    ...['i don\'t care about', 'i don\'t mind', 'don\'t worry about', 'i\'m fine with', 'i\'m okay with'].flatMap((w) => ['the rates', 'the data rates', 'the message rates', 'rates', 'the charges'].map((r) => `${w} ${r}`)),
    ...['i have', 'i\'ve got', 'i got', 'i have got', 'we have', 'i\'m on'].flatMap((w) => ['unlimited', 'unlimited texting', 'unlimited texts', 'unlimited text', 'an unlimited plan', 'unlimited messaging'].map((u) => `${w} ${u}`)),
    'unlimited texting', 'unlimited texts', 'unlimited text', 'unlimited plan',
    'hard of hearing', 'i\'m hard of hearing', 'i\'m deaf', 'i don\'t hear well', 'i can\'t hear well',
    // "okay I will wait for the text" (a non-native "I will wait the text")
    ...['i will', 'i\'ll', 'i', 'i\'ll be', 'i am', 'i\'m', ''].flatMap((w) => ['wait for', 'wait', 'waiting for', 'look out for', 'expect'].flatMap((v) => ['the text', 'your text', 'your message', 'the message', 'a text', 'your texts', 'the texts'].map((o) => [w, v, o].filter((x) => x !== '').join(' ')))),
    // the same in Spanish ("porque no puedo contestar en el trabajo")
    ...['no puedo', 'porque no puedo', 'no siempre puedo', 'casi nunca puedo'].flatMap((n) => ['contestar', 'hablar', 'contestar llamadas', 'contestar el telefono'].map((v) => `${n} ${v}`)),
    // a text is quiet where a call is not ("I'll be sleeping in the day, texts won't wake me")
    ...['texts', 'a text', 'texting'].flatMap((t) => ['won\'t wake me', 'won\'t wake me up', 'don\'t wake me', 'don\'t wake me up', 'won\'t wake the baby', 'don\'t wake the baby', 'won\'t wake the kids'].map((x) => `${t} ${x}`)),
    'i don\'t have time to talk', 'don\'t have time to talk', 'i don\'t have time for calls', 'he\'s coming', 'she\'s coming', 'they\'re coming', 'you\'re coming', 'on the way', 'on his way', 'on their way',
  );
  // "Please do not call; I cannot hear calls.": the same remarks with "don't" written out, as Whisper and relay do
  const written = out.filter((p) => /\bdon't\b/.test(p)).map((p) => p.replace(/\bdon't\b/g, 'do not'));
  return [...new Set([...out, ...written])];
}

/**
 * The caller busy or away (a remark favouring texts beside a consent phrase or a texting word: "yes please, I'm at
 * work, text me"). Beside a bare yes and nothing else it only describes the caller (caller-busy.ts, `describesOnly`).
 */
export const CALLER_BUSY: readonly string[] = [
  'i\'m at work', 'i am at work', 'i\'m working', 'i\'m busy', 'i\'m at work right now', 'i\'m driving', 'i am driving', 'driving',
  'on the road', 'i\'m on the road', 'in the car', 'i\'m in the car', 'behind the wheel', 'in a meeting', 'i\'m in a meeting', 'at church',
  'in class', 'on the job', 'on a job', 'on a roof', 'up on a roof', 'up on the roof', 'on a ladder', 'i\'m up on a roof', 'i\'m on a ladder',
];

/**
 * "yes, I'll reply stop if I need to": the caller knows how to opt out later. Only with a hypothetical tail;
 * "text me and I'll just reply stop" stays a refusal (its "stop").
 */
function optOutKnown(): string[] {
  const out: string[] = [];
  const tails = ['if i need to', 'if i have to', 'if i want to', 'if i change my mind', 'if needed', 'if i ever need to', 'if i ever want to', 'when i want to'];
  for (const who of ['i\'ll', 'i will', 'i can', 'i know i can', 'i know to', 'i can always', 'i\'ll just', 'i know how to', '']) {
    for (const v of ['reply stop', 'text stop', 'send stop', 'say stop', 'text back stop', 'reply with stop', 'opt out', 'unsubscribe', 'text back stop']) {
      const head = [who, v].filter((x) => x !== '').join(' ');
      for (const t of tails) out.push(`${head} ${t}`);
      if (['i can', 'i know i can', 'i can always', 'i know how to'].includes(who)) out.push(`${head} anytime`, `${head} any time`, head);
    }
  }
  return out;
}

/** "I never answer my phone", "I can't talk right now": a negation of calling favours texting. */
function negatedCallRemarks(): string[] {
  const negs = [
    'i don\'t', 'don\'t', 'i do not', 'i can\'t', 'can\'t', 'i cannot', 'i won\'t', 'won\'t', 'i never', 'never', 'i can\'t always',
    'i don\'t always', 'i usually don\'t', 'i don\'t usually', 'i rarely', 'i can\'t really', 'i don\'t really', 'i won\'t be able to',
    'i\'m not able to', 'i am not able to', 'i\'m unable to', 'i hardly ever', 'i don\'t like to', 'i hate to', 'i can never',
    // "can't really talk", "I'd rather not talk on the phone", "I hate phone calls": the negation is of calling
    'can\'t really', 'i\'d rather not', 'i would rather not', 'rather not', 'i\'d prefer not to', 'i hate', 'i really hate', 'hate',
    'i don\'t like', 'i really don\'t like', 'i can\'t stand', 'can\'t stand', 'i usually can\'t', 'i usually miss', 'i always miss',
  ];
  const verbs = [
    'answer', 'answer calls', 'answer the phone', 'answer my phone', 'answer unknown numbers', 'answer calls from', 'pick up',
    'pick up calls', 'pick up the phone', 'pick up my phone', 'pick up at work', 'take calls', 'take calls at work', 'take a call', 'talk', 'talk right now',
    'talk at work', 'talk on the phone', 'hear', 'hear well', 'hear a thing', 'hear on the phone', 'hear well on the phone',
    'check voicemail', 'check my voicemail', 'listen to voicemail', 'listen to my voicemail', 'get to the phone', 'get to my phone',
    'do calls', 'do phone calls', 'like calls', 'like phone calls', 'like talking on the phone', 'answer at work', 'always pick up', 'always answer',
    'calls', 'phone calls', 'talking on the phone', 'talking', 'being on the phone', 'the phone', 'voicemail', 'voicemails', 'talk on the phone at work',
    'phone tag', 'playing phone tag', 'play phone tag',
    ...PHONE_OUT_OF_REACH,
    // a verb of taking a call with the call as its object, in any of its forms ("I won't hear calls", "I'll never hear a
    // call", "I can't be picking up calls", "I won't pick up a call at work"): what the caller cannot take is the call
    ...CALL_TAKING.flatMap((v) => CALLS.map((o) => `${v} ${o}`)),
  ];
  const out: string[] = [];
  for (const n of negs) for (const v of verbs) out.push(`${n} ${v}`);
  return out;
}

/**
 * The phone in the caller's hands or ringing where it may not, with the negation of `negatedCallRemarks` before it ("I
 * got gloves on, can't hold the phone", "I can't have my phone ringing in the courtroom", "I don't hear so good on the
 * phone", "can't really chat", "I can't talk right now"). Like the caller busy (CALLER_BUSY), it favours texts beside a
 * consent phrase and says only where the caller is beside a bare yes (caller-busy.ts): "yeah, I'm on a roof, can't talk"
 * may answer "is this a bad time?". A habit of calls ("I never pick up calls") still favours texts beside any yes.
 */
const PHONE_OUT_OF_REACH: readonly string[] = [
  ...['hold', 'touch', 'get on', 'be on'].flatMap((v) => ['the phone', 'my phone', 'a phone'].map((o) => `${v} ${o}`)),
  ...['have my phone', 'have the phone', 'have a phone'].flatMap((h) => ['ringing', 'ring', 'going off', 'out'].map((x) => `${h} ${x}`)),
  ...['have the ringer on', 'have my ringer on', 'have the ringer', 'have a ringer on'],
  'talk', 'talk right now', 'really talk', 'chat', 'really chat', 'talk long', 'talk much',
  ...['hear so good', 'hear too good', 'hear good', 'hear so well', 'do good', 'do well', 'do so good', 'do too good'].flatMap((h) => [h, `${h} on the phone`, `${h} on phone calls`, `${h} on calls`, `${h} on the phone anymore`]),
];
/** `PHONE_OUT_OF_REACH` with each negation before it, as the lexicon holds them. */
export function phoneOutOfReach(): string[] {
  return negatedCallRemarks().filter((p) => PHONE_OUT_OF_REACH.some((v) => p.endsWith(` ${v}`)));
}

/** The verbs of taking a call, plain and progressive ("be picking up"); "take" and "get to" only with a call as their object. */
const CALL_TAKING: readonly string[] = [
  'answer', 'pick up', 'take', 'hear', 'get to', 'return', 'be answering', 'be picking up', 'be taking', 'answering', 'picking up', 'taking', 'hearing',
];
/** A call as the object ("calls", "a call", "the phone"): never a person or a number ("pick up my wife"). */
const CALLS: readonly string[] = ['calls', 'a call', 'the call', 'any calls', 'phone calls', 'a phone call', 'the phone', 'my phone', 'the calls', 'your call', 'your calls'];

/**
 * A stated preference for texts answers "may we text you?" as a yes: "I prefer text", "I'd rather get a
 * text", "texting is better for me". A preference for something else ("I'd prefer a call") is a refusal
 * (disqualifier-phrases.ts), and "better for my wife", "better if it's free" meet a disqualifier.
 */
function preferenceAffirmatives(): string[] {
  const out: string[] = [];
  for (const who of ['i', 'i\'d', 'i would', 'i really', 'i\'d much', 'i\'d really', 'i much']) {
    for (const pref of ['prefer', 'rather get', 'rather have', 'like', 'rather text', 'prefer to get', 'rather you text', 'rather you text me', 'prefer texting', 'prefer texts', 'prefer a text']) {
      // with an object only: "I'd rather get | a call" is no preference for texts
      for (const obj of ['texts', 'texting', 'a text', 'text messages', 'text', 'a text message', 'texts better', 'texting better', '']) {
        if (obj === '' && !/text/.test(pref)) continue;
        const p = [who, pref, obj].filter((x) => x !== '').join(' ');
        if (p.split(' ').length >= 3) out.push(p);
      }
    }
  }
  for (const s of ['text', 'texting', 'texts', 'a text', 'text messages', 'a text message', 'texting me']) {
    for (const v of ['is', 'are', '\'s', 'would be', 'will be', 'works']) {
      for (const how of ['', 'way', 'much', 'a lot', 'so much', 'really', 'just']) {
        for (const a of ['better', 'easier', 'best', 'easiest', 'quicker', 'faster', 'simpler', 'more convenient', 'the best', 'the easiest']) {
          out.push([s, v, how, a].filter((x) => x !== '').join(' ').replace(' \'s', '\'s'));
        }
      }
    }
  }
  return out;
}

/** Every affirmative cue: the listed words and idioms and the built forms. */
export function affirmatives(): string[] {
  return [...AFFIRM, ...describedAffirmatives(), ...stanceAffirmatives(), ...preferenceAffirmatives()];
}
