import { runDemo } from '../demo/demo.ts';
import { AppError } from '../domain/errors.ts';
import type { CliContext } from './cli-context.ts';

/** `demo` (src/cli/demo-command.ts). */
export async function demo(ctx: CliContext, o: { engine: string; message: string; answer: string; whisperModel?: string; keep?: boolean }): Promise<void> {
  if (o.engine !== 'asterisk' && o.engine !== 'freeswitch') throw new AppError('INPUT.INVALID', '--engine must be asterisk or freeswitch');
  const whisperModel = o.whisperModel ?? (ctx.configFile() ? ctx.config().config.speech.whisperModel : undefined);
  await runDemo({ out: ctx.stdout, engine: o.engine, message: o.message, answer: o.answer, whisperModel, keep: o.keep ?? false });
}
