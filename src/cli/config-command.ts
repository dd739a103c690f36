import type { Command } from 'commander';
import { stringify } from 'yaml';
import { maskSecrets } from '../config/config-loader.ts';
import { assertServable } from '../config/serve-config-rules.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';

export function registerConfigCommand(program: Command, ctx: CliContext): void {
  const config = program.command('config').description('inspect the configuration');
  config
    .command('check')
    .description('validate the config (file + CALLKEEPER_* env, and what serve would refuse) and print it with secrets masked; exit 1 on errors')
    .option('--json', 'print JSON instead of YAML')
    .addHelpText('after', '\nExample:\n  callkeeper --config /etc/callkeeper/callkeeper.yaml config check')
    .action((opts: { json?: boolean }) => {
      const { config: cfg, source } = ctx.config();
      // What serve would refuse fails the check too (src/config/serve-config-rules.ts).
      assertServable(cfg, source);
      const masked = maskSecrets(cfg);
      if (opts.json) writeLine(ctx.stdout, JSON.stringify({ source, config: masked }, null, 2));
      else {
        writeLine(ctx.stdout, `# effective configuration (source: ${source ?? 'defaults + environment'})`);
        ctx.stdout.write(stringify(masked));
      }
    });
}
