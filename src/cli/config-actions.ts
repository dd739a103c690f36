import { stringify } from 'yaml';
import { maskSecrets } from '../config/config-loader.ts';
import { assertServable } from '../config/serve-config-rules.ts';
import { checkAnswerModel } from '../speech/speech-factory.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';

/** `config check` (src/cli/config-command.ts). */
export function configCheck(ctx: CliContext, opts: { json?: boolean }): void {
  const { config: cfg, source } = ctx.config();
  // What serve would refuse fails the check too (src/config/serve-config-rules.ts).
  assertServable(cfg, source);
  // An answer model serve could not load fails the check too, with the error serve would stop with.
  checkAnswerModel(cfg.speech);
  const masked = maskSecrets(cfg);
  if (opts.json) writeLine(ctx.stdout, JSON.stringify({ source, config: masked }, null, 2));
  else {
    writeLine(ctx.stdout, `# effective configuration (source: ${source ?? 'defaults + environment'})`);
    ctx.stdout.write(stringify(masked));
  }
}
