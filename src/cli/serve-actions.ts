import { bindProcessSignals } from '../app/lifecycle/process-signals.ts';
import { createLogger } from '../log/pino-logger-factory.ts';
import { startService } from '../main.ts';
import type { CliContext } from './cli-context.ts';

/** `serve` (src/cli/serve-command.ts). */
export async function serve(ctx: CliContext): Promise<void> {
  const { config } = ctx.config();
  // database(), not dbPath(): serve opens a PostgreSQL database itself (src/compose/pg-serve-database.ts).
  const db = ctx.database();
  const effective = { ...config, database: { ...config.database, path: db.kind === 'sqlite' ? db.path : config.database.path } };
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
}
