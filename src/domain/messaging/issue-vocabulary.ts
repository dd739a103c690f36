/**
 * The trade vocabulary `extractIssue` reads a caller's message with: the fixtures a plumber,
 * HVAC technician, electrician or locksmith is called about, what can go wrong with each, and a few
 * problems said without a fixture ("no hot water", "locked out"). Everything here is a plain word list or
 * a regular expression over the normalized transcript (lower case, straight apostrophes, "a/c" → "ac"),
 * so a wrong phrase can be traced to the entry that produced it.
 */

/** What can go wrong with a fixture; each has its verb forms and its adjective for the phrase. */
export type Condition =
  | 'leak'
  | 'drip'
  | 'clog'
  | 'broken'
  | 'burst'
  | 'frozen'
  | 'spark'
  | 'overflow'
  | 'running'
  | 'tripping'
  | 'jammed'
  | 'flush'
  | 'cooling'
  | 'heating';

export interface Fixture {
  /** Spoken names, longest first within the list (regex alternation takes the first that fits). */
  readonly names: readonly string[];
  /** Names that are plural ("pipes"): the phrase takes no article ("frozen pipes"). */
  readonly plurals?: readonly string[];
  /** How the fixture is written in the phrase when it differs from the name heard. */
  readonly label?: string;
  /**
   * Problems that are the same problem: "my furnace is broken, there's no heat" is one issue. Matches in
   * one group count once; matches in two groups are two problems and give no phrase.
   */
  readonly group: string;
  readonly conditions: readonly Condition[];
  /** Whole phrases for conditions that read badly as "a <adjective> <fixture>" ("the AC not cooling"). */
  readonly phrases?: Partial<Record<Condition, string>>;
}

export const FIXTURES: readonly Fixture[] = [
  // Plumbing.
  { names: ['water heater', 'hot water heater', 'hot water tank', 'tankless heater'], label: 'water heater', group: 'water-heater', conditions: ['leak', 'broken'] },
  { names: ['faucet', 'faucets', 'tap', 'taps', 'spigot', 'hose bib'], plurals: ['faucets', 'taps'], group: 'faucet', conditions: ['leak', 'drip', 'broken', 'frozen'] },
  { names: ['sink drain', 'shower drain', 'tub drain', 'floor drain', 'drain', 'drains'], plurals: ['drains'], group: 'drain', conditions: ['clog'] },
  { names: ['sink', 'sinks'], plurals: ['sinks'], group: 'sink', conditions: ['leak', 'clog', 'overflow'] },
  { names: ['toilet', 'toilets'], plurals: ['toilets'], group: 'toilet', conditions: ['leak', 'clog', 'overflow', 'running', 'flush', 'broken'] },
  { names: ['bathtub', 'tub', 'shower'], group: 'tub', conditions: ['leak', 'clog', 'overflow'] },
  { names: ['shower head', 'showerhead'], label: 'shower head', group: 'tub', conditions: ['leak', 'drip'] },
  {
    names: ['water pipes', 'water pipe', 'water line', 'water main', 'supply line', 'pipes', 'pipe'],
    plurals: ['water pipes', 'pipes'],
    group: 'pipe',
    conditions: ['leak', 'burst', 'frozen', 'clog'],
  },
  { names: ['garbage disposal', 'disposal'], label: 'garbage disposal', group: 'disposal', conditions: ['clog', 'broken', 'leak'] },
  { names: ['sewer line', 'main line', 'sewer'], group: 'sewer', conditions: ['clog'] },
  { names: ['sump pump'], group: 'sump-pump', conditions: ['broken'] },
  { names: ['dishwasher'], group: 'dishwasher', conditions: ['leak', 'clog'] },
  { names: ['washing machine'], group: 'washing-machine', conditions: ['leak'] },
  // HVAC.
  { names: ['furnace'], group: 'heating', conditions: ['broken', 'heating'], phrases: { heating: 'no heat' } },
  { names: ['boiler'], group: 'heating', conditions: ['broken', 'leak', 'heating'], phrases: { heating: 'no heat' } },
  { names: ['heat pump'], group: 'heating', conditions: ['broken', 'heating'], phrases: { heating: 'no heat' } },
  { names: ['heater'], group: 'heating', conditions: ['broken', 'heating'], phrases: { heating: 'no heat' } },
  { names: ['thermostat'], group: 'heating', conditions: ['broken'] },
  { names: ['radiator', 'radiators'], plurals: ['radiators'], group: 'heating', conditions: ['leak', 'broken'] },
  {
    names: ['air conditioning unit', 'air conditioning', 'air conditioner', 'central air', 'ac unit', 'ac'],
    label: 'AC',
    group: 'cooling',
    conditions: ['broken', 'cooling', 'leak', 'frozen'],
    phrases: { broken: 'the AC not working', cooling: 'the AC not cooling', leak: 'a leaking AC unit', frozen: 'a frozen AC unit' },
  },
  // Electrical.
  { names: ['outlets', 'outlet', 'receptacle', 'socket'], plurals: ['outlets'], group: 'outlet', conditions: ['spark', 'broken'] },
  { names: ['light switch', 'switch'], group: 'switch', conditions: ['spark', 'broken'] },
  { names: ['circuit breaker', 'breakers', 'breaker'], plurals: ['breakers'], group: 'power', conditions: ['tripping', 'broken', 'spark'] },
  { names: ['electrical panel', 'breaker panel', 'breaker box', 'fuse box', 'panel'], group: 'power', conditions: ['spark', 'broken'] },
  { names: ['wiring', 'wires'], plurals: ['wiring', 'wires'], group: 'wiring', conditions: ['spark'] },
  { names: ['ceiling fan'], group: 'fan', conditions: ['broken'] },
  // Locksmith.
  { names: ['door lock', 'deadbolt', 'lock', 'locks'], plurals: ['locks'], group: 'lock', conditions: ['broken', 'jammed'] },
];

/**
 * Words allowed between the determiner and the fixture, kept in the phrase ("a clogged kitchen sink").
 * A closed list: anything else ("my new sink", "the stupid sink") is dropped from the phrase by not
 * matching, which only costs a phrase, never makes a wrong one.
 */
export const MODIFIERS = [
  'kitchen',
  'bathroom',
  'bath',
  'basement',
  'upstairs',
  'downstairs',
  'outdoor',
  'outside',
  'master',
  'guest',
  'laundry',
  'front',
  'back',
  'side',
  'garage',
  'main',
  'hall',
  'utility',
  'door',
  'shower',
  'tub',
  'sink',
  'toilet',
  'gas',
  'electric',
] as const;

/** Verb forms after the fixture ("the sink is clogged", "my pipes burst"). */
export const CONDITION_VERBS: Readonly<Record<Condition, string>> = {
  leak: "leaking|leaks|leaked|leaky|has a leak|sprung a leak|started leaking|keeps leaking",
  drip: 'dripping|drips|keeps dripping',
  clog: "clogged up|clogged|blocked up|blocked|stopped up|backed up|backing up|plugged up|plugged|not draining|won't drain|isn't draining|doesn't drain",
  broken:
    "broken|broke down|broke|busted|stopped working|not working|isn't working|is not working|won't turn on|won't work|doesn't work|does not work|died|quit working|quit",
  burst: 'burst|bursted|busted|exploded|broke|split|cracked',
  frozen: 'frozen solid|frozen|froze|freezing up',
  spark: 'sparking|sparked|sparks|throwing sparks',
  overflow: 'overflowing|overflowed|overflows',
  running: "keeps running|running constantly|constantly running|won't stop running|running",
  tripping: 'keeps tripping|tripping|trips|tripped|keeps flipping',
  jammed: "jammed|stuck|won't turn|won't open|won't lock",
  flush: "won't flush|doesn't flush|isn't flushing|not flushing",
  cooling: "not cooling|isn't cooling|won't cool|not blowing cold air|not blowing cold|blowing warm air|blowing hot air",
  heating: "not heating|isn't heating|won't heat|blowing cold air|not blowing hot air|not blowing warm air",
};

/** Adjective forms before the fixture ("a leaky faucet", "burst pipes"). */
export const CONDITION_ADJECTIVES: Readonly<Partial<Record<Condition, string>>> = {
  leak: 'leaky|leaking',
  drip: 'dripping|drippy',
  clog: 'clogged|blocked|backed up|backed-up',
  broken: 'broken|busted',
  burst: 'burst|bursted|busted|broken|split|cracked',
  frozen: 'frozen',
  spark: 'sparking',
  overflow: 'overflowing',
  running: 'running',
  tripping: 'tripping|tripped',
  jammed: 'jammed|stuck',
};

/** The adjective the phrase uses for each condition. */
export const CONDITION_WORD: Readonly<Record<Condition, string>> = {
  leak: 'leaking',
  drip: 'dripping',
  clog: 'clogged',
  broken: 'broken',
  burst: 'burst',
  frozen: 'frozen',
  spark: 'sparking',
  overflow: 'overflowing',
  running: 'running',
  tripping: 'tripping',
  jammed: 'jammed',
  flush: '',
  cooling: 'not cooling',
  heating: 'not heating',
};

/** Problems said without a fixture. `group` works as in `Fixture`. */
export interface Situation {
  readonly pattern: RegExp;
  readonly phrase: string | ((m: RegExpExecArray) => string);
  readonly group: string;
}

const DONT_HAVE = "(?:no|don't have(?: any)?|do not have(?: any)?|haven't got(?: any)?|not getting(?: any)?|without(?: any)?|lost(?: all)?(?: (?:the|our|my))?|out of)";
const ROOM = '(basement|kitchen|bathroom|laundry room|crawl ?space|garage)';

export const SITUATIONS: readonly Situation[] = [
  { pattern: new RegExp(`\\b${DONT_HAVE} hot water\\b`), phrase: 'no hot water', group: 'water-heater' },
  { pattern: /\bhot water (?:is |'s )?(?:out|gone|not working|isn't working|stopped working)\b/, phrase: 'no hot water', group: 'water-heater' },
  { pattern: new RegExp(`\\b${DONT_HAVE} (?:heat|heating)\\b`), phrase: 'no heat', group: 'heating' },
  {
    pattern: /\b(?:the )?(?:heat|heating|heating system)(?: is|'s)? (?:out|not working|isn't working|stopped working|went out|not coming on|won't come on|won't turn on|broken|broke)\b/,
    phrase: 'no heat',
    group: 'heating',
  },
  { pattern: new RegExp(`\\b${DONT_HAVE} (?:power|electricity)\\b`), phrase: 'a power outage', group: 'power' },
  { pattern: /\b(?:power|electricity) (?:is |'s )?(?:out|went out|keeps going out|cut out|keeps cutting out)\b|\bpower outage\b/, phrase: 'a power outage', group: 'power' },
  { pattern: /\b(?:locked|lock) (?:myself |ourselves |us |me )?out\b/, phrase: 'a lockout', group: 'lock' },
  { pattern: /\blocked (?:my|the|our) keys (?:in|inside)\b/, phrase: 'a lockout', group: 'lock' },
  { pattern: /\bcan't get (?:in|into) (?:my|the|our) (?:house|home|apartment|car|office|place|building)\b/, phrase: 'a lockout', group: 'lock' },
  { pattern: /\blost (?:my|our|the|all (?:my|our|the)) (?:house |car |front door |apartment |office )?keys?\b/, phrase: 'lost keys', group: 'lock' },
  { pattern: /\bkey (?:is |'s |got )?stuck in (?:the|my) (?:\w+ )?lock\b/, phrase: 'a key stuck in the lock', group: 'lock' },
  { pattern: /\bkey (?:broke|snapped|broken)(?: off)? in (?:the|my) (?:\w+ )?lock\b/, phrase: 'a key broken off in the lock', group: 'lock' },
  { pattern: /\b(?:smell(?:s|ing)? (?:of |like )?(?:natural )?gas|gas smell|smell of gas)\b/, phrase: 'a gas smell', group: 'gas' },
  { pattern: /\bgas leak(?:ing)?\b|\bleaking gas\b/, phrase: 'a gas leak', group: 'gas' },
  {
    pattern: /\bcarbon monoxide (?:alarm|detector) (?:is |keeps |'s )?(?:going off|beeping|went off)\b/,
    phrase: 'a carbon monoxide alarm',
    group: 'gas',
  },
  { pattern: new RegExp(`\\b${ROOM} (?:is |'s |got |has )?(?:flooded|flooding)\\b`), phrase: (m) => `a flooded ${m[1]}`, group: 'flood' },
  { pattern: new RegExp(`\\bflooded ${ROOM}\\b`), phrase: (m) => `a flooded ${m[1]}`, group: 'flood' },
  { pattern: /\bsew(?:er|age) (?:is |'s )?(?:backing up|backed up|coming up)\b|\bsewer backup\b/, phrase: 'a sewer backup', group: 'sewer' },
  { pattern: /\b(?:low|no|weak) water pressure\b|\bwater pressure (?:is |'s )?(?:really |very )?(?:low|gone|weak)\b/, phrase: 'low water pressure', group: 'pressure' },
  { pattern: new RegExp(`\\b${DONT_HAVE} (?:running )?water\\b(?! (?:pressure|heater|damage|bill))`), phrase: 'no water', group: 'supply' },
];

/**
 * Groups that are one problem seen from two sides: a burst pipe floods the basement, a broken water
 * heater means no hot water. Merged before counting problems.
 */
export const SAME_PROBLEM: Readonly<Record<string, string>> = {
  flood: 'pipe',
  supply: 'pipe',
  pressure: 'pipe',
  sewer: 'drain',
};

/** Words that name a problem; one of them negated anywhere ("no leak", "isn't sparking") means unsure. */
export const PROBLEM_WORDS =
  /\b(?:leak\w*|clog\w*|burst\w*|broke\w*|busted|spark\w*|flood\w*|froze\w*|frozen|overflow\w*|tripp\w*|jammed|stuck|locked out|drip\w*|backed up|backing up|smell\w* gas)\b/g;

export const NEGATIONS = /\b(?:no|not|never|nothing|none|nobody|isn't|wasn't|aren't|weren't|don't|doesn't|didn't|haven't|hasn't|won't|ain't|can't|cannot|no longer)\b/g;

/** "Not sure" is handled as doubt; "don't know why" does not negate what follows. */
export const PSEUDO_NEGATION = /^(?:know|think so|only|just)\b/;

/** The problem is over ("not leaking anymore", "it's fixed now", "the leak stopped"). */
export const RESOLVED =
  /\b(?:anymore|any more|no longer|resolved|taken care of|went away|under control|fine now|ok now|okay now)\b|\b(?:is|was|got|been|'s) (?:already |now |all )?(?:fixed|repaired)\b|\b(?:got|had) (?:it|that|them) (?:fixed|repaired)\b|\bfixed it\b|\bstopped\b(?! (?:working|up|draining|flushing|heating|cooling|running))/;

/** Talk about the past ("last winter"), which is not the call's problem. */
export const PAST = /\b(?:last (?:year|month|winter|summer|spring|fall)|(?:years?|months?) ago|used to|a while (?:ago|back)|previously|in the past)\b/;

/**
 * Hypotheticals, doubt, questions about service, and preventive work: the caller is not reporting the
 * problem as happening. "if you could call me back" and "would be great" are requests, not doubt.
 */
export const DOUBT =
  /\bif\b(?! you\b)|\bin case\b|(?<!\byou )\b(?:would|could|might)\b(?! you\b)(?! (?:be )?(?:great|nice|appreciated?|appreciate|help|like)\b)|\b(?:maybe|possibly|probably|perhaps|not sure|unsure|wondering|worried|afraid|in the future|prevent\w*|avoid\w*|estimate|quote|how much|price|pricing|maintenance|tune-?up|inspection|thinking about|planning|plan to|looking to)\b|\b(?:do|can|does) (?:you|your)(?: guys)? (?:fix|repair|handle|service|work on|do|install|replace)\b/;

/** Whisper's non-speech markers and its stock hallucinations on silence. */
export const NOISE_MARKERS = /\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|♪+/g;
