/** Where the application keeps the audio it took from the engine (message and answer recordings). */
export interface StoredAudio {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface RecordingStore {
  save(name: string, wav: Buffer): Promise<StoredAudio>;
}
