import { Option, type Command } from 'commander';
import { RuleConsentClassifier } from '../domain/consent/rule-consent-classifier.ts';
import { AppError } from '../domain/errors.ts';
import type { CliContext } from './cli-context.ts';
import { commandGroup, writeLine } from './cli-context.ts';
import { readAudioFile, transcriberFor, type EngineFlags } from './transcribe-command.ts';

/** `consent classify`: how the call flow would judge an answer to the consent question. Exit 0 whatever the decision. */
export function registerConsentClassifyCommand(program: Command, ctx: CliContext): void {
  commandGroup(program, 'consent', 'SMS consent: the ledger and the spoken answer')
    .command('classify')
    .description('classify an answer to the consent question as granted, declined or unclear (JSON)')
    .option('--text <text>', 'the answer as text')
    .option('--audio <file>', 'the answer as a WAV recording (transcribed first)')
    .option('--confidence <score>', 'recognizer confidence 0..1 to assume with --text')
    .addOption(new Option('--engine <engine>', 'recognizer for --audio').choices(['whisper', 'pocketsphinx']))
    .option('--model <path>', 'whisper.cpp ggml model for --audio')
    .addOption(new Option('--tokens-per-second <n>').hideHelp())
    .addOption(new Option('--no-fallback').hideHelp())
    .addHelpText('after', '\nExamples:\n  callkeeper consent classify --text "yeah, go ahead"\n  callkeeper consent classify --audio answer.wav')
    .action(async (o: EngineFlags & { text?: string; audio?: string; confidence?: string }) => {
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
    });
}
