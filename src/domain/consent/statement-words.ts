/**
 * The words a statement beside the consent phrase is read by (statement-beside-consent.ts, someone-present.ts): what
 * could qualify an answer, and the words of a number.
 */
import { TEXTING_WORDS } from './answer-shape.ts';
import { PEOPLE } from './disqualifier-phrases.ts';

/**
 * Words the statement may not hold, whatever the rest says: each could turn the statement into a limit, a condition, a
 * doubt, another person or channel, a question, sarcasm, a take-back or words to a machine. Grouped as read.
 */
export const WORDS_THAT_QUALIFY: ReadonlySet<string> = new Set([
  // refusal, take-back, contrast
  'no', 'not', 'never', 'nothing', 'nobody', 'none', 'nope', 'nah', 'nay', 'neither', 'nor', 'but', 'though', 'although', 'however',
  'actually', 'except', 'unless', 'otherwise', 'instead', 'rather', 'wait', 'hold', 'hang', 'scratch', 'mind', 'second', 'kidding',
  'joking', 'joke',
  // condition, limit, time set on the texts
  'if', 'whenever', 'when', 'once', 'provided', 'assuming', 'only', 'just', 'until', 'till', 'before', 'after', 'between', 'during',
  'while', 'twice', 'single', 'time', 'times', 'now', 'later', 'soon', 'asap', 'limit', 'limits', 'max', 'maximum', 'minimum', 'tops',
  'few', 'couple', 'many', 'much', 'more', 'less', 'lot', 'same', 'usual', 'reason', 'still',
  'morning', 'mornings', 'night', 'nights', 'evening', 'evenings', 'afternoon', 'afternoons', 'weekend', 'weekends', 'weekday',
  'weekdays', 'daytime', 'nighttime', 'am', 'pm', 'noon', 'midnight', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday',
  'saturday', 'sunday', 'today', 'tonight', 'tomorrow', 'hour', 'hours', 'minute', 'minutes', 'day', 'days', 'week', 'weeks',
  'o\'clock', 'clock',
  // hedge, question
  'maybe', 'probably', 'guess', 'suppose', 'think', 'perhaps', 'possibly', 'might', 'kinda', 'kind', 'sort', 'sorta', 'depends',
  'depending', 'whatever', 'what', 'who', 'why', 'how', 'which', 'where', 'whose', 'whom', 'question', 'questions', 'can', 'could',
  'would', 'should', 'may', 'must', 'shall', 'you', 'your', 'you\'re', 'yours',
  // the texts, the phone, another channel, what the texts cost or are about
  'phone', 'phones', 'cell', 'cellphone', 'mobile', 'number', 'numbers', 'call', 'calls', 'calling', 'called', 'email', 'emails',
  'mail', 'mailed', 'send', 'sent', 'sending', 'forward', 'share', 'landline', 'line', 'voicemail', 'reach', 'contact', 'ring', 'dial',
  'app', 'whatsapp', 'facebook', 'messenger', 'signal', 'reception', 'stop', 'help', 'start', 'quit', 'unsubscribe', 'opt', 'reply',
  'respond', 'replies', 'data', 'rate', 'rates', 'charge', 'charges', 'pay', 'paying', 'free', 'cost', 'costs', 'fee', 'fees', 'plan',
  'carrier', 'verizon', 'sprint', 'tmobile', 'att', 'reminder', 'reminders', 'appointment', 'appointments', 'confirmation', 'update',
  'updates', 'eta', 'receipt', 'invoice', 'bill', 'billing', 'price', 'prices', 'pricing', 'quote', 'quotes', 'estimate',
  'estimates', 'payment', 'promotions', 'promotion', 'ad', 'ads', 'advertising', 'marketing', 'offers', 'offer', 'deals', 'deal',
  'coupons', 'coupon', 'specials', 'newsletter', 'survey', 'review', 'english', 'spanish', 'speak', 'language',
  // another person, someone present, who decides
  'he', 'she', 'him', 'her', 'his', 'hers', 'they', 'them', 'their', 'theirs', 'someone', 'somebody', 'anyone', 'anybody',
  'everyone', 'owner', 'homeowner', 'customer', 'office', 'boss', 'parent', 'parents', 'permission', 'allowed', 'old', 'age', 'minor',
  'honey', 'sweetie', 'babe', 'baby', 'dear', 'hon', 'buddy', 'kiddo', 'sweetheart', 'darling', 'coming', 'say', 'says', 'said',
  'told', 'tell', 'tells', 'asked', 'okayed', 'understand', 'hear', 'hearing', 'heard', 'deaf', 'listening', 'here',
  // a car's navigation read out beside the answer ("In 2 miles, take exit 41 toward Route 9. Sounds good.", dev-72)
  'exit', 'miles', 'mile', 'toward', 'towards', 'merge', 'destination', 'arrive', 'arriving', 'recalculating',
  // the visit asked for or hurried (the way in, "the gate code is 4471", "the back door sticks", may stand)
  'come', 'get', 'hurry', 'quick', 'quickly', 'fast', 'guy', 'guys', 'tech', 'outside',
  // a machine addressed, an answer recorded
  'ignore', 'instruction', 'instructions', 'previous', 'record', 'recorded', 'log', 'logged', 'system', 'ai', 'bot', 'robot',
  'computer', 'prompt', 'agree', 'agreed', 'agreeing', 'consent', 'consented', 'override', 'mark', 'note', 'flag', 'label',
  'labeled', 'classify', 'developer', 'mode', 'forget', 'rules', 'save', 'answer',
  // sarcasm and idioms of refusal
  'right', 'sure', 'great', 'wonderful', 'perfect', 'exactly', 'lovely', 'fantastic', 'totally', 'wanted', 'want', 'need', 'needed',
  'lol', 'haha', 'ha', 'sarcasm', 'like', 'love', 'favorite', 'lucky', 'story', 'life', 'dream', 'thrilled', 'yay', 'wow', 'pigs',
  // an errand for someone present ("the dog needs to go out")
  'needs', 'go',
  'fly', 'hell', 'wrong', 'scam', 'spam', 'block', 'report', 'sue', 'dnc', 'registry', 'prefer', 'preferably', 'better', 'best',
  'ideally', 'avoid',
  // a hesitation, a trailing join, a farewell (the call closing, not an answer), a Spanish limit
  'um', 'uh', 'er', 'erm', 'hmm', 'eh', 'ah', 'well', 'or', 'mean', 'meant', 'bye', 'goodbye', 'care', 'pero', 'solo', 'nada',
  'nunca', 'cuando', 'si',
  // a yes of any kind: the statement must hold none, so the one consent phrase decides
  'yes', 'yeah', 'yep', 'yup', 'yea', 'okay', 'alright', 'absolutely', 'definitely', 'certainly', 'fine',
  ...TEXTING_WORDS,
  ...PEOPLE.filter((p) => !p.includes(' ')),
]);

/** A number's word: a digit run or a number spoken. */
export const NUMBER_WORD = /^(?:\d+|zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)$/;
