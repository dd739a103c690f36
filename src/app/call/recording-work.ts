import type { RecordingPurpose } from '../../domain/call-flow/call-state.ts';
import type { ConsentDecision } from '../../domain/ports/consent-classifier.ts';
import { emergencyInstructionFor } from '../../domain/urgency/urgency-messages.ts';
import type { CallSessionContext } from './call-session-context.ts';
import { errorFields } from './error-fields.ts';

/**
 * The slow work on a call's recordings, run in the background and reported back as events: fetching and
 * storing the audio, transcribing it, judging the message's urgency, classifying the consent answer.
 */

export async function collectRecording(ctx: CallSessionContext, purpose: RecordingPurpose): Promise<void> {
  const ev = ctx.evidence;
  let ok = false;
  try {
    const id = purpose === 'message' ? ev.messageRecordingId : (ev.answers.at(-1)?.recordingId ?? null);
    if (id === null) throw new Error('no recording to collect');
    const wav = await ctx.leg.fetchRecording(id);
    const name = `call-${ctx.facts.callId}-${purpose}${purpose === 'answer' ? ev.answers.length : ''}`;
    const audio = await ctx.deps.recordings.save(name, wav);
    if (purpose === 'message') {
      ev.messageWav = wav;
      ev.message = audio;
      ctx.deps.callLog.saveMessage(ctx.facts.callId, { recordingPath: audio.path, sha256: audio.sha256, durationMs: ev.messageDurationMs });
    } else {
      const answer = ev.answers.at(-1);
      if (answer !== undefined) {
        answer.wav = wav;
        answer.audio = audio;
      }
    }
    ok = true;
  } catch (err) {
    ctx.log.error({ purpose, err: errorFields(err) }, 'recording could not be collected');
  }
  ctx.dispatch({ type: 'recording-collected', purpose, ok });
}

export async function transcribeRecording(ctx: CallSessionContext, purpose: RecordingPurpose): Promise<void> {
  const ev = ctx.evidence;
  const answer = purpose === 'answer' ? ev.answers.at(-1) : undefined;
  const wav = purpose === 'message' ? ev.messageWav : (answer?.wav ?? null);
  try {
    if (wav === null) throw new Error('no audio to transcribe');
    const t = await ctx.deps.transcriber.transcribe(wav, { purpose: purpose === 'message' ? 'message' : 'consent-answer' });
    if (purpose === 'message') {
      ev.messageTranscript = t.text;
      if (!ctx.finished()) ctx.deps.callLog.saveTranscript(ctx.facts.callId, { transcript: t.text, summary: null });
      judgeUrgency(ctx, t.text);
      beginIntake(ctx, t.text);
    } else if (answer !== undefined) {
      answer.transcript = t.text;
      answer.confidence = t.confidence.score;
    }
    ctx.dispatch({ type: 'transcribed', purpose });
  } catch (err) {
    // The audio is kept either way; an answer that cannot be transcribed counts as unclear.
    ctx.log.warn({ purpose, err: errorFields(err) }, 'transcription failed');
    ctx.dispatch({ type: 'transcription-failed', purpose });
  }
}

/** Judges the message (stored by the assessor); the flow hears of it only when there is an instruction to play. */
function judgeUrgency(ctx: CallSessionContext, transcript: string): void {
  const ev = ctx.evidence;
  const business = ctx.facts.business;
  if (ctx.deps.assessUrgency === undefined || business === null || ctx.finished()) return;
  try {
    ev.urgency = ctx.deps.assessUrgency({ callId: ctx.facts.callId, businessId: business.id, transcript });
  } catch (err) {
    ctx.log.error({ err: errorFields(err) }, 'urgency could not be judged');
    return;
  }
  if (ev.urgency?.urgent === true) ctx.log.info({ rule: ev.urgency.rule }, 'call judged urgent');
  if (ctx.state().urgency !== 'off') {
    ctx.dispatch({ type: 'urgency-assessed', urgent: emergencyInstructionFor(business, ev.urgency) !== null });
  }
}

/** Starts the assisted intake of the message; the call never waits for it (src/app/assist/call-intake.ts). */
function beginIntake(ctx: CallSessionContext, transcript: string): void {
  const business = ctx.facts.business;
  if (ctx.deps.assist === undefined || business === null || ctx.finished()) return;
  try {
    ctx.deps.assist.beginIntake({ callId: ctx.facts.callId, businessId: business.id, transcript });
  } catch (err) {
    ctx.log.error({ err: errorFields(err) }, 'assisted intake could not be started');
  }
}

/**
 * The local classifier decides; only an `unclear` answer is shown to the assist, which may turn it into
 * `declined` (never `granted`) within its bounded deadline. A grant never waits for the assist.
 */
export function classifyAnswer(ctx: CallSessionContext): void {
  const answer = ctx.evidence.answers.at(-1);
  let decision: ConsentDecision = 'unclear';
  try {
    if (answer?.transcript != null) {
      const c = ctx.deps.classifier.classify({ transcript: answer.transcript, confidence: answer.confidence });
      decision = c.decision;
      ctx.log.info({ decision, reason: c.reason, transcript: answer.transcript }, 'consent answer classified');
    }
  } catch (err) {
    ctx.log.error({ err: errorFields(err) }, 'consent classifier failed; answer counts as unclear');
  }
  const refine = ctx.deps.assist?.refineUnclear;
  const transcript = answer?.transcript ?? null;
  if (decision !== 'unclear' || refine === undefined || transcript === null || transcript.trim() === '') {
    settleAnswer(ctx, decision);
    return;
  }
  void refine({ callId: ctx.facts.callId, businessId: ctx.facts.business?.id ?? null, transcript })
    .catch((err: unknown) => {
      ctx.log.error({ err: errorFields(err) }, 'assisted consent check failed; answer stays unclear');
      return 'unclear' as const;
    })
    // Whatever came back, only unclear → declined can pass (the assist cannot grant).
    .then((refined) => settleAnswer(ctx, refined === 'declined' ? 'declined' : 'unclear'));
}

function settleAnswer(ctx: CallSessionContext, decision: ConsentDecision): void {
  const answer = ctx.evidence.answers.at(-1);
  if (answer !== undefined) answer.decision = decision;
  ctx.dispatch({ type: 'classified', decision });
}
