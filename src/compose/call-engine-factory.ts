import { relative, resolve, sep } from 'node:path';
import type { Config } from '../config/config-schema.ts';
import type { CallEngine } from '../domain/ports/call-engine.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { Logger } from '../domain/ports/logger.ts';
import type { Metrics } from '../domain/ports/metrics.ts';
import { writeBeepPrompt } from '../speech/beep-prompt.ts';

/**
 * The configured call engine (`engine: asterisk | freeswitch`), for the composition root. Only that
 * engine's adapter is imported: ari-client alone costs ~170 ms of CPU at start-up and modesl ~35 ms
 * (bench/cli-startup.bench.ts measures `serve`'s time to ready).
 */
export async function createEngine(config: Config, logger: Logger, clock: Clock, metrics?: Pick<Metrics, 'hangupFailed'>): Promise<CallEngine> {
  const promptsDir = resolve(config.prompts.dir);
  const engineDir = config.prompts.engineDir;
  if (config.engine === 'asterisk') {
    const { AriCallEngine } = await import('../telephony/asterisk/ari-call-engine.ts');
    return new AriCallEngine(
      {
        url: config.asterisk.url,
        username: config.asterisk.username,
        password: config.asterisk.password ?? '',
        app: config.asterisk.app,
        promptsDir,
        ...(engineDir ? { promptsEngineDir: engineDir } : {}),
        // Our own beep, not Asterisk's `beep` sound, which an install without sound packages lacks (src/speech/beep-prompt.ts).
        beepPrompt: { file: writeBeepPrompt(promptsDir) },
      },
      { logger, clock, ...(metrics ? { metrics } : {}) },
    );
  }
  const fs = config.freeswitch;
  const { createEslCallEngine } = await import('../telephony/freeswitch/esl-call-engine.ts');
  return createEslCallEngine({
    listenHost: fs.listenHost,
    listenPort: fs.listenPort,
    recordingsDir: fs.recordingsDir,
    ...(fs.localRecordingsDir ? { localRecordingsDir: fs.localRecordingsDir } : {}),
    // A prompt under prompts.dir is opened by FreeSWITCH at the same relative path under prompts.engineDir.
    mapPromptPath: (file) => {
      if (!engineDir) return file;
      const rel = relative(promptsDir, resolve(file));
      return rel.startsWith('..') ? file : `${engineDir.replace(/\/$/, '')}/${rel.split(sep).join('/')}`;
    },
    inbound: fs.password ? { host: fs.eslHost, port: fs.eslPort, password: fs.password } : null,
    logger,
    clock,
    ...(metrics ? { metrics } : {}),
  });
}
