/** Judges the spoken answer to the consent question. Only a clear affirmative grants. */
export type ConsentDecision = 'granted' | 'declined' | 'unclear';

export interface ConsentClassification {
  readonly decision: ConsentDecision;
  readonly reason: string;
}

export interface ConsentClassifier {
  classify(input: { transcript: string; confidence: number | null }): ConsentClassification;
}
