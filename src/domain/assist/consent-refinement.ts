import type { ConsentDecision } from '../ports/consent-classifier.ts';

/**
 * The one thing the assist may do to a consent answer: turn the rules' `unclear` into `declined` when it
 * reads a plain refusal in words the lexicon lacks, which spares the caller a pointless second question.
 * It never grants: a grant comes from the local classifier alone (rule-consent-classifier.ts), and a
 * `granted` or `declined` from the rules is returned unchanged whatever the assist said.
 */
export function refineDecision(rules: ConsentDecision, assistRefused: boolean | null): ConsentDecision {
  if (rules !== 'unclear') return rules;
  return assistRefused === true ? 'declined' : 'unclear';
}
