import type { ConsentDecision } from '../../domain/ports/consent-classifier.ts';
import type { StoredAudio } from '../../domain/ports/recording-store.ts';
import type { UrgencyDecision } from '../../domain/urgency/urgency-judge.ts';

/** One recorded consent answer (the caller may be asked twice). */
export interface Answer {
  recordingId: string;
  wav: Buffer | null;
  audio: StoredAudio | null;
  transcript: string | null;
  confidence: number | null;
  decision: ConsentDecision | null;
  /** When the engine reported the end of this answer (the start of the decision latency). */
  endedAt: number | null;
}

/**
 * What one call has gathered so far: audio, transcripts, the consent texts played, and the ids of what
 * was written. Owned by the call's `CallSession`; filled in by the steps that carry out its commands.
 */
export class CallEvidence {
  readonly consentTexts: string[] = [];
  messageRecordingId: string | null = null;
  messageWav: Buffer | null = null;
  messageDurationMs: number | null = null;
  message: StoredAudio | null = null;
  messageTranscript: string | null = null;
  /** Aborted when the flow stops waiting for a transcription (`cancelTranscription`), by purpose. */
  readonly transcribing = new Map<'message' | 'answer', AbortController>();
  readonly answers: Answer[] = [];
  consentEventId: number | null = null;
  outboundMessageId: number | null = null;
  decisionLatencyMs: number | null = null;
  urgency: UrgencyDecision | null = null;
  /** The emergency instruction and goodbye as played: what the caller was told. */
  readonly told: string[] = [];
  endedAt: number | null = null;
}
