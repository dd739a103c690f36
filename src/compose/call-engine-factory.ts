import { relative, resolve, sep } from 'node:path';
import type { Config } from '../config/config-schema.ts';
import type { CallEngine } from '../domain/ports/call-engine.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { Logger } from '../domain/ports/logger.ts';
import { writeBeepPrompt } from '../speech/beep-prompt.ts';
import { AriCallEngine } from '../telephony/asterisk/ari-call-engine.ts';
import { createEslCallEngine } from '../telephony/freeswitch/esl-call-engine.ts';

/** The configured call engine (`engine: asterisk | freeswitch`), for the composition root. */
export function createEngine(config: Config, logger: Logger, clock: Clock): CallEngine {
  const promptsDir = resolve(config.prompts.dir);
  const engineDir = config.prompts.engineDir;
  if (config.engine === 'asterisk') {
    return new AriCallEngine(
      {
        url: config.asterisk.url,
        username: config.asterisk.username,
        password: config.asterisk.password ?? '',
        app: config.asterisk.app,
        promptsDir,
        ...(engineDir ? { promptsEngineDir: engineDir } : {}),
        // Our own beep, not Asterisk's `beep` sound, which an install without sound packages lacks (issue 13 item 1).
        beepPrompt: { file: writeBeepPrompt(promptsDir) },
      },
      { logger, clock },
    );
  }
  const fs = config.freeswitch;
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
  });
}
