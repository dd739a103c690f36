/** One file of a consent evidence bundle: literal content, or a copy of a file the app kept (audio). */
export type EvidenceFile =
  | { readonly name: string; readonly content: string }
  | { readonly name: string; readonly copyFrom: string };

export interface EvidenceManifestEntry {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface EvidenceWriteResult {
  readonly written: EvidenceManifestEntry[];
  /** Files whose `copyFrom` does not exist (e.g. audio removed by retention). */
  readonly missing: string[];
  /** Files whose `copyFrom` is not a regular file inside the recordings directories: never copied. */
  readonly refused: string[];
}

/** One bundle directory being written. Every file is created new: never over an existing file or through a link. */
export interface EvidenceBundle {
  write(files: readonly EvidenceFile[]): Promise<EvidenceWriteResult>;
}

/** Writes evidence bundles, each into a directory of its own. */
export interface EvidenceWriter {
  /** Creates the directory, or takes an existing empty one; refuses one that holds anything, or a link. */
  create(dir: string): Promise<EvidenceBundle>;
}
