import type { ConsentClassification, ConsentClassifier } from '../ports/consent-classifier.ts';
import { BARE_YES } from './affirmative-phrases.ts';
import { goAheadForSomethingElse, invertedQuestion, MAX_UNKNOWN_WORDS, nameSpoken, numberSpoken, phoneTroubleAfter, phoneTroubleFirst, possessiveSpoken, recipientSpoken, trailingRight, unknownWordsPlacement, withoutAddresses, withoutCodes, type Token } from './answer-shape.ts';
import { buildLexicon, HALLUCINATIONS, SPELLING, type LexEntry, type LexTag } from './consent-lexicon.ts';
import { normalize } from './transcript-words.ts';
import { afterAnAside, afterClarification, afterCorrection, afterIdiomNo, afterPause, afterTheIntroduction, afterTheLineChecked, afterTheProblem, type AnswerReader } from './before-the-answer.ts';
import { FIRST_NAMES, NOISE, RADIO_ACK, SETTLED } from './disqualifier-phrases.ts';
import { acknowledgesOnly, closesTheCall } from './call-closing.ts';
import { describesOnly } from './caller-busy.ts';
import { goAheadAlone } from './go-ahead-alone.ts';
import { errandSpoken } from './errand.ts';
import { garbled, repetitive } from './recognizer-garble.ts';
import { greetsOnly } from './greeting-only.ts';
import { acknowledgesOnlyTheTerms } from './terms-without-consent.ts';
import { readCueObjects } from './cue-objects.ts';
import { cutMidWord, readHesitation, trailsOff } from './hesitation.ts';
import { readPlaces } from './place-remarks.ts';
import { GO_AHEAD, readRemarks, REMARK_SUBJECTS } from './remark-clauses.ts';
import { readThanksAndLaughs } from './thanks-and-laughs.ts';
import { besideAStatement } from './statement-beside-consent.ts';
import { readCallersTime } from './callers-time.ts';
import { countsTheTexts, readTextsCount } from './texts-count.ts';
import { readRelayedConsent, relaysAYes, typedThroughARelay } from './relayed-consent.ts';

/**
 * Judges the spoken answer to the SMS-consent question. A false "yes" texts someone who did not
 * agree, so only a clear affirmative grants: the answer must hold an affirmative cue and no refusal or
 * disqualifier (hedge, question, condition, contrast, sarcasm, an aside, another recipient, an
 * instruction to a model, recognizer noise), and words the lexicon does not know may only follow the cue
 * (answer-shape.ts). Everything else is `declined` (an explicit refusal) or `unclear` (no SMS is sent
 * either way). The order of the checks: src/speech/README.md, "Consent classifier".
 *
 * Reasons never quote the transcript: they are logged, and transcripts only go in redactable fields.
 */

/**
 * Below this recognizer score (0..1) the words are not trusted at all. Whisper's score is the mean token
 * probability; a real tiny.en/base.en model gives a clearly spoken "yes, that's fine" 0.8 or more, while
 * answers it is guessing at (line noise, mumbling) fall well under 0.5. The PocketSphinx adapter scores
 * an affirmative 1 only when its free decode confirms a trusted yes word and no refusal is among its
 * alternatives, and 0 otherwise, so an unverified yes lands here too. A null confidence (unknown) skips
 * the check.
 */
export const MIN_CONFIDENCE = 0.5;

/** Words of Whisper's annotations of silence ("[BLANK_AUDIO]", "(silence)", "[inaudible]"). */
const SILENCE_MARKS: ReadonlySet<string> = new Set(['blank', 'silence', 'inaudible', 'no speech']);
/** Non-speech annotations that Whisper writes: [BLANK_AUDIO], (music), *coughs*, ♪. */
/** A recognizer's mark of speech cut off at the end of the answer: a dash or an ellipsis ("Sure, um—", "Okay, uh..."). */
const CUT_OFF = /(?:[-–—]|\.\.\.|…)\s*$/;
const ANNOTATION = /\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|♪[^♪]*♪?/g;

/** The affirmative idioms that end in a question mark as a recognizer writes them ("Sure, why not?"). */
const WHY_NOT_ASKED = /\bwhy (?:not|wouldn['\u2019]?t i)\s*\?/gi;

/**
 * A request to hear the prompt again at the start of the answer ("huh?", "sorry, what was that?", "you're
 * breaking up"), not a question about the texts: what follows it is the answer. A bare "sorry" is not one, and a
 * "what" that begins a question of its own ("What kind of texts?") is not one either: a lone "what" is followed by
 * a mark, the end, or the answer ("what oh yeah sure text me"). A yes said as a question ("Yes? Text?") and the
 * caller's hearing trouble ("I'm hard of hearing. Texts? Yes, …") ask it again too (dev-37's class, written first in
 * dev-39): the answer after them grants only as a consent phrase that shows the prompt was understood.
 */
const MISHEARD =
  /^\s*(?:(?:sorry|oh)[\s,.!]*)?(?:(?:pardon(?: me)?|excuse me|what was that|what did you say|what's that|what(?=\s*[,.?!]|\s*$|\s+(?:oh|ah|sorry|yes|yeah|sure|okay|ok)\b)|wha|huh|come again|say that again|say again|(?:oh )?you mean|you're (?:breaking|cutting) up|you're cutting out|you cut out|i didn'?t (?:catch|hear) that|i'?m hard of hearing|i am hard of hearing|(?:yes|yeah)(?=\s*\?))(?:[\s,.?!]+|$))+(?:but\s+)?/i;

/** Words to someone present, then an apology ("Kids, quiet! Okay, sorry, yes, you can text me."): the part before it and after it. */
const INTERRUPTED = /^(.+?)[\s,.!?]+(?:(?:okay|ok|alright|all right)[\s,.!]+)?sorry(?: about that| for that| for the noise| about the noise)?[\s,.!]+(.+)$/is;
/** A pause before the words to someone present ("hold on", "one sec"), not a hedge of the answer. */
const PAUSES = new Set(['hold on', 'hang on', 'wait', 'one second']);
/** A leading apology and its excuse ("sorry, my toddler is screaming, yes text me"). */
const EXCUSED = /^\s*sorry[\s,.!]+(.+)$/is;

/** The disqualifiers in the order they are reported, each with its fixed reason. */
const DISQUALIFIERS: ReadonlyArray<[LexTag, string]> = [
  ['injection', 'text addressed to a machine, not an answer'],
  ['noise', 'recognizer output for silence or video, not an answer'],
  ['hedge', 'hedged answer (neither yes nor no)'],
  ['question', 'question instead of an answer'],
  ['condition', 'conditional or limited answer'],
  ['contrast', 'qualified answer'],
  ['sarcasm', 'sarcasm'],
  ['aside', 'said to someone else or answering another question'],
  ['redirect', 'texts or calls asked for elsewhere (another number, person or channel)'],
];

/** A refusal phrase ending in one of these also turns the next affirmative into a refusal ("please don't | text me"). */
const NEGATING_ENDS = new Set(['not', "don't", 'never', "can't", "won't", "didn't", "isn't", "doesn't", "wouldn't", "shouldn't"]);

export class RuleConsentClassifier implements ConsentClassifier {
  private readonly lexicon: ReadonlyMap<string, readonly LexEntry[]>;
  /** Every word of every phrase: such a word is never split as a recognizer's join. */
  private readonly vocabulary: ReadonlySet<string>;
  /** The phrases of one word: the parts a join may be split into ("textme" is "text" "me"). */
  private readonly singles: ReadonlySet<string>;
  /** A join is split only when one part decides or names texts ("yesplease", "notexts", "textme"; not "every|where"). */
  private readonly joinAnchors: ReadonlySet<string>;
  private readonly minConfidence: number;

  constructor(opts: { minConfidence?: number } = {}) {
    this.lexicon = buildLexicon();
    const entries = [...this.lexicon.values()].flat();
    this.vocabulary = new Set(entries.flatMap((e) => e.words));
    this.singles = new Set(entries.filter((e) => e.words.length === 1).map((e) => e.words[0]!));
    const deciding = new Set<LexTag>(['affirm', 'negate', 'negator']);
    this.joinAnchors = new Set([...entries.filter((e) => e.words.length === 1 && deciding.has(e.tag)).map((e) => e.words[0]!), ...TEXTING_WORDS, 'ahead', 'please']);
    this.minConfidence = opts.minConfidence ?? MIN_CONFIDENCE;
  }

  classify(input: { transcript: string; confidence: number | null }): ConsentClassification {
    const judged = this.judge(input);
    if (judged.decision === 'granted' || (input.confidence !== null && !(input.confidence >= this.minConfidence))) return judged;
    // an answer is read again only to a part that grants on its own; a refusal only when its negation lay in the
    // problem described beside the consent phrase ("yes please, the toilet won't stop running"), and never otherwise
    // (README.md, "Before the final yes", "The problem described beside the consent phrase")
    const spoken = input.transcript;
    if (this.annotatedNoise(spoken)) return judged;
    const reader: AnswerReader = {
      words: (text) => this.splitJoins(normalize(text.replace(ANNOTATION, ' '))),
      tag: (words) => this.tagged(words),
      // judged by the plain rules only: one reading again, not a chain of them (bounded work, README.md)
      grants: (text) => this.judge({ ...input, transcript: text }).decision === 'granted',
    };
    // a part judged alone may have lost what limits the texts in the whole answer: a relayed yes cut from the yes
    // it relays ("hold on mom says | you can text"), another number or place before the yes said again, a count on the
    // texts before the yes said again ("just once, yes text me")
    // a recognizer's loop ("the pipe the pipe the pipe …") is noise, whatever a part of it says
    if (this.noise(reader.words(spoken))) return judged;
    const whole = reader.tag(reader.words(spoken));
    if (relaysAYes(whole) || countsTheTexts(whole) || recipientSpoken(whole, (w) => this.lexicon.has((SPELLING[w] ?? w).split(' ')[0]!)) !== null) return judged;
    if (judged.decision === 'declined') {
      return besideAStatement(spoken, reader, true) !== null ? { decision: 'granted', reason: 'consent phrase beside the problem described, its negation the problem\'s' } : judged;
    }
    if (afterIdiomNo(spoken, reader) !== null) return { decision: 'granted', reason: 'a leading no of a negation idiom, then a go-ahead to text' };
    if (afterCorrection(spoken, reader) !== null) return { decision: 'granted', reason: 'clear affirmative after a self-correction' };
    if (afterPause(spoken, reader) !== null) return { decision: 'granted', reason: 'clear affirmative naming texts after a pause' };
    if (afterAnAside(spoken, reader) !== null) return { decision: 'granted', reason: 'clear affirmative said again after words to someone present' };
    if (afterTheProblem(spoken, reader) !== null) return { decision: 'granted', reason: 'clear affirmative naming texts after the service problem' };
    if (afterTheIntroduction(spoken, reader, (w, named) => named || FIRST_NAMES.includes(w) || capitalized(spoken).has(w)) !== null) {
      return { decision: 'granted', reason: "clear affirmative naming texts after the caller's introduction" };
    }
    if (afterTheLineChecked(spoken, reader) !== null) return { decision: 'granted', reason: 'clear affirmative after the line was confirmed' };
    if (besideAStatement(spoken, reader) !== null) return { decision: 'granted', reason: 'consent phrase beside a plain statement of the caller\'s message' };
    const consentPhrase = (t: Token): boolean => (t.tag === 'affirm' && !BARE_YES.has(t.words.join(' '))) || t.tag === 'remark';
    // after a request to hear the prompt again ("huh? yes please") the prompt may not have been heard: the answer
    // needs a sign that it was ("oh") and a consent phrase, as in the rule for a misheard prompt above
    const misheard = MISHEARD.test(spoken.replace(/[‘’]/g, "'"));
    if (afterClarification(spoken, reader, consentPhrase, misheard) !== null) return { decision: 'granted', reason: 'clear affirmative after a question answered' };
    return judged;
  }

  /** A recognizer's loop or word salad (recognizer-garble.ts). */
  private noise(words: readonly string[]): boolean {
    const tag = (w: string): LexTag | 'unknown' => this.tagged([w])[0]?.tag ?? 'unknown';
    return repetitive(words, (w) => tag(w) === 'negate') || garbled(words, (w) => tag(w) === 'affirm' || tag(w) === 'negate');
  }

  /** Music, applause or laughter that Whisper annotated beside the words: the words may be a video's, not the caller's. */
  private annotatedNoise(transcript: string): boolean {
    // "[BLANK_AUDIO] Yeah.": Whisper marked silence, and a yes beside it may be its hallucination (dev-68)
    return (transcript.match(ANNOTATION) ?? []).some((a) => normalize(a).some((w) => NOISE.includes(w) || SILENCE_MARKS.has(w)));
  }

  private judge(input: { transcript: string; confidence: number | null }): ConsentClassification {
    if (this.annotatedNoise(input.transcript)) return unclear('recognizer output for music or noise beside the words');
    const spoken = input.transcript.replace(ANNOTATION, ' ');
    // "Sorry, say that again? Oh, text messages. Yes, that's fine.": the question asked the prompt again; the
    // answer after it decides, and grants only as a consent phrase after an "oh" or naming texts (a bare "huh?
    // oh, yeah" may confirm the repeat, "huh? yes please" may not have heard it)
    const misheard = MISHEARD.exec(spoken.replace(/[‘’]/g, "'"));
    const rest = misheard === null ? '' : spoken.slice(misheard[0].length);
    if (misheard !== null && normalize(rest).length > 0) {
      const answer = this.classify({ ...input, transcript: rest });
      if (answer.decision !== 'granted') return answer.decision === 'declined' ? answer : unclear('question instead of an answer');
      const restWords = this.splitJoins(normalize(rest));
      const cues = this.tag(restWords).filter((t) => t.tag === 'affirm');
      const consentPhrase = cues.some((t) => !BARE_YES.has(t.words.join(' ')));
      // "oh you mean text me" repeats the prompt as a question; a second cue answers it ("... yeah go ahead")
      const answered = !/you mean/i.test(misheard[0]) || cues.length >= 2;
      // the caller shows the prompt was understood: "oh", or the texts named ("huh? yes please" may not have heard it)
      const understood = ['oh', 'ah', 'ahh', 'ohh'].includes(restWords[0]!) || restWords.some((w) => TEXTING_WORDS.has(w));
      return consentPhrase && answered && understood ? { decision: 'granted', reason: 'clear affirmative after the prompt was asked again' } : unclear('question instead of an answer');
    }
    // "Why not?" is an answer, not a question back: its question mark alone does not make the answer unclear.
    const asked = spoken.replace(WHY_NOT_ASKED, ' ').includes('?');
    const resumed = this.afterInterruption(spoken);
    if (resumed !== null) {
      const answer = this.classify({ ...input, transcript: resumed });
      if (answer.decision !== 'granted') return answer.decision === 'declined' ? answer : unclear('said to someone else or answering another question');
      const textingCue = this.tag(this.splitJoins(normalize(resumed))).some((t) => t.tag === 'affirm' && t.words.some((w) => TEXTING_WORDS.has(w)));
      return textingCue ? { decision: 'granted', reason: 'clear affirmative after an interruption' } : unclear('said to someone else or answering another question');
    }
    const words = this.splitJoins(normalize(spoken));
    if (words.length === 0) return unclear('no speech recognized');
    if (HALLUCINATIONS.includes(words.join(' '))) return unclear('typical recognizer output for silence or noise, not an answer');
    if (this.noise(words)) return unclear('repetitive or garbled recognizer output');
    if (input.confidence !== null && !(input.confidence >= this.minConfidence)) {
      return unclear(`recognizer confidence ${input.confidence.toFixed(2)} is below ${this.minConfidence.toFixed(2)}`);
    }

    // read again last: a remark rule may relax a time it holds ("I'll read texts after I'm home" reads as the caller's
    // reading), but a time the caller set on the texts stays a condition wherever it stands (callers-time.ts), and so
    // does a count the caller set on them ("text me once", texts-count.ts)
    const tokens = readTextsCount(readCallersTime(readRemarks(readThanksAndLaughs(readInContext(readPlaces(readActually(readHesitation(readCueObjects(this.tagged(words))))))))));
    const first = (t: LexTag): number => tokens.findIndex((x) => x.tag === t);
    const last = (t: LexTag): number => findLastIndex(tokens, (x) => x.tag === t);
    const has = (t: LexTag | 'unknown'): boolean => tokens.some((x) => x.tag === t);

    const lastNegate = last('negate');
    const firstAffirm = first('affirm');
    if (lastNegate >= 0) {
      if (firstAffirm < 0) return { decision: 'declined', reason: 'refusal' };
      if (lastNegate > firstAffirm) return { decision: 'declined', reason: 'refusal after an affirmative (reversal)' };
      return unclear('refusal followed by an affirmative: contradictory');
    }
    for (const [tag, reason] of DISQUALIFIERS) {
      if (has(tag) || (tag === 'question' && asked)) return unclear(reason);
    }
    if (closesTheCall(tokens)) return unclear('an okay or a reply to thanks beside only a farewell closes the call, not an answer');
    if (acknowledgesOnly(tokens)) return unclear('an okay alone, or with only fillers beside it, acknowledges: not an answer');
    if (describesOnly(tokens)) return unclear('a bare yes beside only the caller busy or away: it may answer another question');
    if (goAheadAlone(tokens)) return unclear('a go-ahead alone beside words of its own: it may be said to someone present');
    if (errandSpoken(tokens)) return unclear('an errand after the yes: the yes is to whoever runs it');
    if (greetsOnly(tokens)) return unclear('a bare yes beside only a greeting: it answers the hello, not the question');
    if (typedThroughARelay(words)) return unclear('an answer typed through a relay that does not name the texts');
    if (acknowledgesOnlyTheTerms(tokens)) return unclear('the terms acknowledged beside only a bare yes: it may answer whether the caller understood');
    if (trailsOff(tokens, CUT_OFF.test(spoken))) return unclear('a yes trailing off into a hesitation: the caller had more to say');
    // the words as the recognizer wrote them: "plea", "tex" at the end are cut off, though read as "please", "text" inside
    const written = spoken.toLowerCase().replace(/[^a-z' ]+/g, ' ').split(/\s+/).filter((w) => w !== '');
    if (cutMidWord(written, CUT_OFF.test(spoken), (w) => this.vocabulary.has(w))) return unclear('a consent word cut off: the caller was not heard to the end');
    // digits inside a phrase of the lexicon ("10 4", "100 percent") are that phrase, not a number or a time
    const spokenNumbers = tokens.filter((t) => t.tag === 'unknown' || !t.words.some((w) => /[0-9]/.test(w))).flatMap((t) => t.words);
    // beside a cue naming texts, a gate code or a unit number is the way in ("text me, the gate code is 1234"), and a house
    // number before a street the caller's address ("text me, this is Beth, 42 Maple Drive")
    const textingCue = tokens.some((t) => t.tag === 'affirm' && t.words.some((w) => TEXTING_WORDS.has(w)));
    const known = (w: string): boolean => this.lexicon.has((SPELLING[w] ?? w).split(' ')[0]!);
    // "go ahead" alone may be said to anyone present (remark-clauses.ts, GO_AHEAD)
    const cues = tokens.filter((t) => t.tag === 'affirm');
    const onlyGoAhead = cues.length > 0 && cues.every((t) => GO_AHEAD.test(t.words.join(' ')));
    const shape = numberSpoken(textingCue ? withoutAddresses(withoutCodes(spokenNumbers)) : spokenNumbers) ?? recipientSpoken(tokens, known) ?? goAheadForSomethingElse(tokens) ?? possessiveSpoken(tokens, textingCue, onlyGoAhead) ?? nameSpoken(spoken, known, textingCue) ?? trailingRight(tokens) ?? invertedQuestion(tokens) ?? phoneTroubleFirst(tokens) ?? phoneTroubleAfter(tokens);
    if (shape !== null) return unclear(shape);
    if (firstAffirm < 0) return unclear('no affirmative');
    const placement = unknownWordsPlacement(tokens);
    if (placement !== null) return unclear(placement);
    return { decision: 'granted', reason: 'clear affirmative' };
  }

  /**
   * A recognizer sometimes writes two words as one ("textme", "yesplease", "okaytext", "notexts"): a word the
   * lexicon does not hold anywhere is split where both parts (of two letters or more, ASR spellings mapped)
   * are words the lexicon holds alone. Refusals split the same way ("nothanks" is "no thanks").
   */
  private splitJoins(spoken: readonly string[]): string[] {
    // a recognizer's stutter ("y yes", "th that's fine", "s s sure", "y-y-yes"): a fragment the lexicon does not hold,
    // said once or more, that begins the next other word is the start of that word, said again
    const stutter = (w: string, i: number): boolean => {
      let j = i + 1;
      while (spoken[j] === w) j++;
      return w.length <= 2 && !this.vocabulary.has(w) && !/[0-9]/.test(w) && spoken[j] !== undefined && spoken[j]!.startsWith(w);
    };
    const words = spoken.filter((w, i) => !stutter(w, i));
    const known = (part: string): string[] | null => {
      const mapped = (SPELLING[part] ?? part).split(' ');
      return mapped.every((w) => this.singles.has(w)) ? mapped : null;
    };
    return words.flatMap((w) => {
      if (this.vocabulary.has(w) || w.length < 4) return [w];
      for (let k = 2; k <= w.length - 2; k++) {
        const [left, right] = [known(w.slice(0, k)), known(w.slice(k))];
        if (left !== null && right !== null && [...left, ...right].some((x) => this.joinAnchors.has(x))) return [...left, ...right];
      }
      return [w];
    });
  }

  /**
   * "Tyler, get off the couch! Sorry. Yeah, text me." and "sorry, my toddler is screaming, yes text me": words
   * to someone present, or an excuse, then an apology and the answer. Returns the answer after the apology, or
   * null. What is dropped holds nothing that decides or qualifies (no yes, refusal, condition, question, another
   * person, instruction; a pause such as "hold on" may stand there); an excuse after a
   * leading "sorry" is only words the lexicon does not know or neutral ones (not "my wife says"), and no
   * question mark. The caller (classify) grants the answer only as a cue naming texts: "Mike, get down. Sorry.
   * Yes." may be a yes to Mike.
   */
  private afterInterruption(spoken: string): string | null {
    const tagged = (text: string): Token[] => this.tagged(this.splitJoins(normalize(text)));
    // words to someone present may hold an aside, a pause or a name, but nothing that could qualify the answer
    const deciding = (t: Token): boolean =>
      ['affirm', 'negate', 'negator', 'injection', 'condition', 'sarcasm', 'redirect', 'contrast', 'question'].includes(t.tag) || (t.tag === 'hedge' && !PAUSES.has(t.words.join(' ')));
    const a = INTERRUPTED.exec(spoken);
    if (a !== null && normalize(a[1]!).length > 0 && normalize(a[2]!).length > 0 && !tagged(a[1]!).some(deciding)) return a[2]!;
    const b = EXCUSED.exec(spoken);
    if (b === null || spoken.includes('?')) return null;
    const tokens = tagged(b[1]!);
    const first = tokens.findIndex((t) => t.tag === 'affirm');
    const excuse = tokens.slice(0, first);
    const neutral = (t: Token): boolean => ['unknown', 'context', 'filler', 'job', 'visit', 'polite'].includes(t.tag);
    if (first < 1 || excuse.flatMap((t) => t.words).length > MAX_UNKNOWN_WORDS || !excuse.every(neutral)) return null;
    return tokens.slice(first).flatMap((t) => t.words).join(' ');
  }

  /**
   * The words tagged, negators resolved, and a yes relayed from someone not on the call marked as another person
   * deciding (relayed-consent.ts): every reading of the answer, the parts "Before the final yes" sets aside among
   * them, sees the same tags.
   */
  private tagged(words: readonly string[]): Token[] {
    return readCallersTime(readRelayedConsent(resolveNegators(this.tag(words))));
  }

  /** Greedy longest match of lexicon phrases over the words. */
  private tag(words: readonly string[]): Token[] {
    const out: Token[] = [];
    let i = 0;
    while (i < words.length) {
      const hit = this.lexicon.get(words[i]!)?.find((e) => e.words.every((w, k) => words[i + k] === w));
      out.push({ tag: hit?.tag ?? 'unknown', words: hit?.words ?? [words[i]!] });
      i += hit ? hit.words.length : 1;
    }
    return out;
  }
}

/** "not great", "isn't okay": a negator turns the next affirmative (skipping filler) into a refusal; alone it refuses. */
function resolveNegators(tokens: Token[]): Token[] {
  const out = tokens.map((t) => ({ ...t }));
  for (let i = 0; i < out.length; i++) {
    const tok = out[i]!;
    const negates = tok.tag === 'negator' || (tok.tag === 'negate' && NEGATING_ENDS.has(tok.words[tok.words.length - 1]!));
    if (!negates) continue;
    out[i] = { ...tok, tag: 'negate' };
    for (let j = i + 1; j < out.length; j++) {
      const t = out[j]!.tag;
      if (t === 'affirm') {
        out[j] = { ...out[j]!, tag: 'negate' };
        break;
      }
      if (t !== 'context' && t !== 'filler') break;
    }
  }
  return out;
}

/**
 * "That would actually be great": an "actually" that leads into an affirmative is emphasis, not a
 * take-back, and so is a last "actually" right after a cue of several words ("I'd prefer a text
 * actually"); any other "actually" ("yes, actually, I changed my mind", "yes actually") stays a contrast.
 */
function readActually(tokens: Token[]): Token[] {
  const quiet = (x: Token): boolean => x.tag === 'filler' || x.tag === 'context' || x.tag === 'polite';
  return tokens.map((t, i) => {
    if (t.tag !== 'contrast' || t.words.join(' ') !== 'actually') return t;
    const next = tokens.slice(i + 1).find((x) => !quiet(x));
    if (next?.tag === 'affirm') return { ...t, tag: 'filler' };
    const before = findLastIndex(tokens.slice(0, i), (x) => !quiet(x));
    const prev = before >= 0 ? tokens[before]! : undefined;
    return next === undefined && prev?.tag === 'affirm' && prev.words.length >= 2 ? { ...t, tag: 'filler' } : t;
  });
}

/** Radio acknowledgments, which a following yes of any kind completes ("copy that, yes"). */
const RADIO_ACKS: ReadonlySet<string> = new Set(RADIO_ACK);

/** "All good", "sounds about right": neutral beside a consent phrase anywhere in the answer ("text me, all good"). */
const SETTLED_ACK = new Set(SETTLED);

/** The words of a cue that names texts: beside one, a statement of who the caller is is only an introduction. */
const TEXTING_WORDS = new Set(['text', 'texts', 'texting', 'texted', 'message', 'messages', 'messaging']);

/** "when you have it", "when he's headed over": a clause of time, not a question ("when is the tech coming" asks). */
const WHEN_SUBJECTS = new Set(['you', 'he', 'she', 'they', 'we', 'i', 'the', 'your', 'someone', 'somebody', 'it\'s', 'he\'s', 'she\'s', 'they\'re', 'you\'re', 'i\'m', 'we\'re', 'my']);

/**
 * Words whose meaning depends on the answer around them (src/domain/consent/README.md, "Words that depend
 * on the answer around them"): an acknowledgment is neutral only before a consent phrase, the job only
 * beside one, a term of endearment only beside one and set off between parts of the answer, polite address
 * only set off; otherwise each is an aside (or, for address, another recipient).
 */
function readInContext(tokens: Token[]): Token[] {
  // a remark favouring texting ("text me when he's close") places the job beside texting as well
  const consentPhrase = (x: Token): boolean => (x.tag === 'affirm' && !BARE_YES.has(x.words.join(' '))) || x.tag === 'remark';
  const hasConsentPhrase = tokens.some(consentPhrase);
  const hasUnknown = tokens.some((x) => x.tag === 'unknown');
  const setOff = (i: number): boolean => {
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    const okBefore = before === undefined || ['affirm', 'filler', 'polite'].includes(before.tag);
    // "Oh yes, that would be fine, dear. I keep my phone by my chair.": set off before the caller's remark, whose
    // words are read as a remark (remark-clauses.ts), not as unknown words around the endearment
    const remarkAfter = before?.tag === 'affirm' && after !== undefined && REMARK_SUBJECTS.has(after.words[0]!);
    const okAfter = after === undefined || ['affirm', 'polite'].includes(after.tag) || remarkAfter;
    return okBefore && okAfter && (!hasUnknown || remarkAfter);
  };
  // "yes I'm the homeowner, go ahead and text me": an affirmative that names texts
  const hasTextingCue = tokens.some((x) => (x.tag === 'affirm' || x.tag === 'remark') && x.words.some((w) => TEXTING_WORDS.has(w)));
  // a yes said twice over, one of them a consent phrase that is neither a polite request nor a go-ahead ("yes, that's
  // fine"; not "yes please" or "yes go ahead", which may be a yes to sending someone: "yes go ahead and send the tech")
  const cues = tokens.filter((x) => x.tag === 'affirm');
  const decidedYes = cues.length >= 2 && cues.some((x) => consentPhrase(x) && !x.words.includes('please') && !GO_AHEAD.test(x.words.join(' ')));
  return tokens.map((t, i) => {
    switch (t.tag) {
      case 'ack': {
        if (SETTLED_ACK.has(t.words.join(' '))) return { ...t, tag: hasConsentPhrase ? 'filler' : 'aside' };
        const later = tokens.slice(i + 1);
        const completed = RADIO_ACKS.has(t.words.join(' ')) ? later.some((x) => x.tag === 'affirm') : later.some((x) => x.tag === 'affirm' && consentPhrase(x));
        return { ...t, tag: completed ? 'filler' : 'aside' };
      }
      case 'job':
        return { ...t, tag: hasConsentPhrase ? 'context' : 'aside' };
      case 'past': {
        // "the furnace died | last night": after a word of the problem; "yes text me | last night" is a time for the texts
        const prev = tokens[i - 1];
        return { ...t, tag: prev !== undefined && (prev.tag === 'unknown' || prev.tag === 'job') ? 'context' : 'condition' };
      }
      case 'identity':
        return { ...t, tag: hasTextingCue ? 'context' : 'aside' };
      case 'visit':
        // "Yes, yes, that's fine. Please just send somebody": a decided yes, then a plea for the visit (README.md,
        // "Words that depend on the answer around them"); "yes please send someone" is a yes to the visit
        return { ...t, tag: hasTextingCue || decidedYes ? 'context' : 'aside' };
      case 'question':
        // "text me the estimate when you have it": "when" before its subject, beside a cue naming texts, says when
        return t.words.join(' ') === 'when' && i > 0 && hasTextingCue && WHEN_SUBJECTS.has(tokens[i + 1]?.words[0] ?? '') ? { ...t, tag: 'context' } : t;
      case 'endearment':
        return { ...t, tag: hasConsentPhrase && setOff(i) ? 'polite' : 'aside' };
      case 'address':
        return { ...t, tag: setOff(i) ? 'polite' : 'redirect' };
      case 'foreign':
        // "da yes it's okay", "Sim, yes, pode, okay": another language's yes beside an English one
        return { ...t, tag: tokens.some((x) => x.tag === 'affirm') ? 'filler' : 'unknown' };
      default:
        return t;
    }
  });
}

function unclear(reason: string): ConsentClassification {
  return { decision: 'unclear', reason };
}

function findLastIndex<T>(xs: readonly T[], pred: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (pred(xs[i]!)) return i;
  return -1;
}

/**
 * The words a recognizer spelled with a capital inside a sentence ("Hi, this is Linda.", "This is Tom Reyes."),
 * lower-cased: a proper name as Whisper writes one. The first word of a sentence and "I" are not counted.
 */
function capitalized(transcript: string): Set<string> {
  const names = new Set<string>();
  // a title's dot ("Mrs. Okafor") ends no sentence
  for (const sentence of transcript.replace(/\b(Mr|Mrs|Ms|Dr)\./g, '$1').split(/[.!?]+/)) {
    const words = sentence.split(/[\s,;:]+/).filter((w) => w !== '');
    for (const w of words.slice(1)) if (/^[A-Z][a-z]+$/.test(w)) names.add(w.toLowerCase());
  }
  return names;
}

