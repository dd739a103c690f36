import type { Readable } from 'node:stream';
import { MessageBacklog, type MessageBacklogDeps } from '../app/call/message-backlog.ts';
import type { Config } from '../config/config-schema.ts';
import type { Transcriber } from '../domain/ports/transcriber.ts';
import { BoundedJobQueue } from '../speech/bounded-job-queue.ts';
import { FsRecordingReader } from '../store/fs-recording-reader.ts';
import { recordingRoots } from './recording-purge.ts';

/**
 * The message backlog of `serve` (src/app/call/message-backlog.ts): the call log and directory from the
 * serve stores, the recognizer's queue for "room" (a slot free beside the answer lanes, nobody waiting:
 * `BoundedJobQueue.hasIdleSlot`), the audio read back with the console's rule (a regular file under a
 * recordings directory: src/store/fs-recording-reader.ts). A recognizer without a queue always has room:
 * the backlog still runs one message at a time.
 */
export function createMessageBacklog(
  config: Config,
  recognizer: Transcriber,
  deps: Omit<MessageBacklogDeps, 'recognizerHasRoom' | 'readRecording'>,
): MessageBacklog {
  const queue = (recognizer as { readonly queue?: unknown }).queue;
  const reader = new FsRecordingReader({ roots: recordingRoots(config) });
  return new MessageBacklog({
    ...deps,
    recognizerHasRoom: queue instanceof BoundedJobQueue ? () => queue.hasIdleSlot() : () => true,
    readRecording: async (path) => {
      const opened = reader.open(path);
      return typeof opened === 'string' ? opened : readAll(opened.stream);
    },
  }, { sharedDatabase: config.database.kind === 'postgres' });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
