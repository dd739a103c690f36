/**
 * The official whisper.cpp ggml models that `callkeeper model pull` fetches, by their published file
 * names and SHA-1 checksums (whisper.cpp models/README.md, the table the project's download script
 * checks against). The default source is the whisper.cpp repository on Hugging Face.
 */
export const DEFAULT_MODEL_MIRROR = 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main/';
/** Where `model pull` puts a model when neither `--dir` nor `speech.whisperModel` says. */
export const DEFAULT_MODEL_DIR = './data/models';

export interface CatalogEntry {
  readonly file: string;
  readonly sha1?: string;
  readonly sha256?: string;
  /** What inspectWhisperModel() must find in the file; a download of another shape is refused. */
  readonly kind?: string;
  /** Rough size, for the progress bar when the server sends no length. */
  readonly approxBytes: number;
}

export type ModelCatalog = Readonly<Record<string, CatalogEntry>>;

export const WHISPER_MODELS: ModelCatalog = {
  'tiny.en': { file: 'ggml-tiny.en.bin', sha1: 'c78c86eb1a8faa21b369bcd33207cc90d64ae9df', kind: 'tiny.en', approxBytes: 77_700_000 },
  'base.en': { file: 'ggml-base.en.bin', sha1: '137c40403d78fd54d454da0f9bd998f78703390c', kind: 'base.en', approxBytes: 148_000_000 },
  'small.en': { file: 'ggml-small.en.bin', sha1: 'db8a495a91d927739e50b3fc1cc4c6b8f6c2d022', kind: 'small.en', approxBytes: 488_000_000 },
};
