import type { CallCommand } from '../../domain/call-flow/call-commands.ts';
import { closeCallRow } from './call-closing.ts';
import type { CallSessionContext } from './call-session-context.ts';
import { saveConsent, queueFirstText } from './consent-writer.ts';
import { bestEffort, engineOp } from './engine-operations.ts';
import { playPrompt } from './prompt-player.ts';
import { cancelTranscription, classifyAnswer, collectRecording, transcribeRecording } from './recording-work.ts';

/**
 * Carries out one command of the flow through the ports. Engine operations are awaited (quick REST/ESL
 * requests); collecting and transcribing recordings are started and report back as events later.
 */
export async function executeCommand(ctx: CallSessionContext, c: CallCommand): Promise<void> {
  switch (c.type) {
    case 'answer':
      return engineOp(ctx, 'answer', async () => {
        await ctx.leg.answer();
        ctx.dispatch({ type: 'answered' });
      });
    case 'play':
      return playPrompt(ctx, c.prompt);
    case 'stopPlayback': {
      const id = ctx.router.takeCurrentPlayback();
      if (id !== null) await bestEffort(ctx, 'stopPlayback', () => ctx.leg.stopPlayback(id));
      return;
    }
    case 'record':
      return engineOp(ctx, 'record', async () => {
        const name = `ck${ctx.facts.callId}-${c.purpose}${c.attempt}`;
        const id = await ctx.leg.record({
          name,
          maxDurationMs: c.maxDurationMs,
          maxSilenceMs: c.maxSilenceMs,
          ...(c.speechStartTimeoutMs > 0 ? { speechStartTimeoutMs: c.speechStartTimeoutMs } : {}),
          beep: c.beep,
          terminateOnHash: c.terminateOnHash,
        });
        ctx.router.recordingStarted(id, c.purpose);
        if (c.purpose === 'message') ctx.evidence.messageRecordingId = id;
        else ctx.evidence.answers.push({ recordingId: id, wav: null, audio: null, transcript: null, confidence: null, decision: null, endedAt: null });
      });
    case 'stopRecording': {
      const id = ctx.router.takeCurrentRecording();
      if (id !== null) await bestEffort(ctx, 'stopRecording', () => ctx.leg.stopRecording(id));
      return;
    }
    case 'collectRecording': {
      // A recording we stopped ourselves (safety timer) has no end event: its end is now.
      const answer = c.purpose === 'answer' ? ctx.evidence.answers.at(-1) : undefined;
      if (answer !== undefined && answer.endedAt === null) answer.endedAt = ctx.deps.clock.now();
      void collectRecording(ctx, c.purpose);
      return;
    }
    case 'transcribe':
      void transcribeRecording(ctx, c.purpose);
      return;
    case 'cancelTranscription':
      return cancelTranscription(ctx, c.purpose);
    case 'classify':
      return classifyAnswer(ctx);
    case 'saveConsent':
      return saveConsent(ctx, c.event, c.unheard);
    case 'queueSms':
      return queueFirstText(ctx);
    case 'startTimer':
      ctx.timers.start(c.timer, c.ms);
      return;
    case 'cancelTimer':
      ctx.timers.cancel(c.timer);
      return;
    case 'hangup':
      return engineOp(ctx, 'hangup', () => ctx.leg.hangup());
    case 'closeCall':
      return closeCallRow(ctx, c.outcome);
  }
}
