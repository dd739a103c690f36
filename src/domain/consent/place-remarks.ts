/**
 * "yes i locked my keys in the car": a remark that places the caller somewhere busy ("in the car", "on a
 * roof", "in a meeting", "on the way") favours texting only when it places the caller ("I'm in the car, text
 * me", "yes, on a job all day"). After a thing ("my keys", "the ladder", "it") it says where the thing is: a
 * part of the problem, read as the job is (README.md, "Words that depend on the answer around them"): neutral
 * beside a consent phrase ("yes please, I locked my keys in the car"), an answer to another question beside
 * only a bare yes (test/fixtures/consent-answers/README.md: "a bare yes followed only by a description of the
 * problem or of the caller … is U"; heldout-5's false opt-in, dev-26).
 */
import type { Token } from './answer-shape.ts';

/** The first words of a remark that is a place ("in the car", "on a ladder", "at church", "up on the roof", "behind the wheel"). */
const PLACE_OPENERS: ReadonlySet<string> = new Set(['in', 'on', 'at', 'up', 'behind']);

/** Words that open a thing's name or stand for one: "my keys", "the ladder", "a toy", "it", "them". */
const DETERMINERS: ReadonlySet<string> = new Set(['my', 'our', 'the', 'a', 'an', 'his', 'her', 'their', 'your', 'some', 'this', 'that', 'those', 'these']);
const OBJECT_PRONOUNS: ReadonlySet<string> = new Set(['it', 'them', 'him', 'her', 'this', 'that', 'those', 'these']);

/** Tags of the words that may name the thing: words the lexicon does not know, the problem, the visit, neutral context. */
const THING_TAGS: ReadonlySet<string> = new Set(['unknown', 'job', 'visit', 'context']);

/** How far back a thing's name may begin ("my car keys | in the car"). */
const THING_REACH = 3;

/** Retags a place remark that follows a thing as the job: where the thing is, not where the caller is. */
export function readPlaces(tokens: readonly Token[]): Token[] {
  return tokens.map((t, i) => {
    if (t.tag !== 'remark' || !PLACE_OPENERS.has(t.words[0]!)) return t;
    const before: string[] = [];
    for (let j = i - 1; j >= 0 && THING_TAGS.has(tokens[j]!.tag) && before.length < THING_REACH; j--) before.unshift(...tokens[j]!.words);
    const near = before.slice(-THING_REACH);
    const last = near[near.length - 1];
    const thing = last !== undefined && (OBJECT_PRONOUNS.has(last) || near.some((w) => DETERMINERS.has(w)));
    return thing ? { ...t, tag: 'job' } : t;
  });
}
