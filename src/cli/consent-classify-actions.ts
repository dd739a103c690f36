import { RuleConsentClassifier } from '../domain/consent/rule-consent-classifier.ts';
import { AppError } from '../domain/errors.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { readAudioFile, transcriberFor, type EngineFlags } from './transcribe-actions.ts';

/** `consent classify` (src/cli/consent-classify-command.ts). */
export async function consentClassify(ctx: CliContext, o: EngineFlags & { text?: string; audio?: string; confidence?: string }): Promise<void> {
  if ((o.text === undefined) === (o.audio === undefined)) throw new AppError('INPUT.INVALID', 'give exactly one of --text or --audio');
  let transcript: string;
  let confidence: number | null = null;
  if (o.text !== undefined) {
    transcript = o.text;
    if (o.confidence !== undefined) {
      confidence = Number(o.confidence);
      if (!(confidence >= 0 && confidence <= 1)) throw new AppError('INPUT.INVALID', '--confidence must be between 0 and 1');
    }
  } else {
    const wav = readAudioFile(o.audio!);
    const transcriber = transcriberFor(ctx, o);
    try {
      const t = await transcriber.transcribe(wav, { purpose: 'consent-answer' });
      transcript = t.text;
      confidence = t.confidence.score;
    } finally {
      await transcriber.close();
    }
  }
  const c = new RuleConsentClassifier().classify({ transcript, confidence });
  writeLine(ctx.stdout, JSON.stringify({ decision: c.decision, transcript, reason: c.reason, confidence }));
}
