/** One file of a consent evidence bundle: literal content, or a copy of a file the app kept (audio). */
export type EvidenceFile =
  | { readonly name: string; readonly content: string }
  | { readonly name: string; readonly copyFrom: string };

export interface EvidenceManifestEntry {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** Writes an evidence bundle into a directory and returns what it wrote, each file with its sha256. */
export interface EvidenceWriter {
  /** Files whose `copyFrom` is missing are skipped and listed in `missing`. */
  write(dir: string, files: readonly EvidenceFile[]): Promise<{ written: EvidenceManifestEntry[]; missing: string[] }>;
}
