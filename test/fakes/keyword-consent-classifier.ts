import type { ConsentClassification, ConsentClassifier } from '../../src/domain/ports/consent-classifier.ts';

/**
 * A small stand-in for the real classifier: a clear yes grants, a clear no declines,
 * anything else (or low confidence, or both) is unclear. Records what it was asked.
 */
export class KeywordConsentClassifier implements ConsentClassifier {
  readonly requests: Array<{ transcript: string; confidence: number | null }> = [];

  classify(input: { transcript: string; confidence: number | null }): ConsentClassification {
    this.requests.push(input);
    const t = ` ${input.transcript.toLowerCase().replace(/[^a-z' ]/g, ' ')} `;
    if (input.confidence !== null && input.confidence < 0.5) return { decision: 'unclear', reason: 'low confidence' };
    const yes = /\b(yes|yeah|yep|sure|okay|ok|sounds good)\b/.test(t);
    const no = /\b(no|nope|don't|do not)\b/.test(t);
    if (yes && !no) return { decision: 'granted', reason: 'affirmative' };
    if (no && !yes) return { decision: 'declined', reason: 'negative' };
    return { decision: 'unclear', reason: yes && no ? 'mixed' : 'no answer' };
  }
}
