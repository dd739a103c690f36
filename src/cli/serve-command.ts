import type { Command } from 'commander';
import { bindProcessSignals } from '../app/lifecycle/process-signals.ts';
import { createLogger } from '../log/pino-logger-factory.ts';
import { startService } from '../main.ts';
import type { CliContext } from './cli-context.ts';

/**
 * `callkeeper serve` (`npm start`): runs the service until SIGTERM/SIGINT (drain, then exit 0); SIGHUP
 * reloads. The global `--db` overrides `database.path`, as for every other command.
 */
export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the service: take calls from the engine, send texts through SMPP, admin HTTP on loopback')
    .addHelpText('after', '\nExample:\n  callkeeper --config /etc/callkeeper/callkeeper.yaml serve\n')
    .action(async () => {
      const { config } = ctx.config();
      const effective = { ...config, database: { ...config.database, path: ctx.dbPath() } };
      const logger = createLogger(config.log, { bindings: { component: 'serve' } });
      const service = await startService(effective, { logger });
      const done = new Promise<number>((resolve) => {
        bindProcessSignals(service.lifecycle, {
          on: (s, h) => process.on(s, h),
          off: (s, h) => process.off(s, h),
          exit: resolve,
          logger,
        });
      });
      // Everything is stopped by now; exit explicitly so a library timer cannot hold the process.
      process.exit(await done);
    });
}
