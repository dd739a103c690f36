import type { Readable } from 'node:stream';

/** Opens a recording whose path came from the database (never from a request), for playback. */
export type OpenedRecording = { readonly size: number; readonly stream: Readable } | 'missing' | 'refused';

export interface RecordingReader {
  open(path: string): OpenedRecording;
}
