import { readFile, unlink } from 'node:fs/promises';
import { AppError } from '../../domain/errors.ts';
import type { Logger } from '../../domain/ports/logger.ts';

/**
 * Reads a recording FreeSWITCH wrote (through the shared recordings directory), then deletes the
 * engine's copy once it is read. A failed delete is only logged: the caller already has the audio.
 */
export async function takeEngineRecording(localPath: string, logger: Logger): Promise<Buffer> {
  let wav: Buffer;
  try {
    wav = await readFile(localPath);
  } catch (err) {
    throw new AppError('TELEPHONY.REQUEST_FAILED', 'the recording FreeSWITCH wrote cannot be read here', {
      cause: err,
      details: { path: localPath, hint: 'check freeswitch.recordingsDir / freeswitch.localRecordingsDir' },
    });
  }
  await unlink(localPath).catch((err: unknown) =>
    logger.warn({ err: String(err), path: localPath }, 'could not delete the engine copy of a recording'),
  );
  return wav;
}
