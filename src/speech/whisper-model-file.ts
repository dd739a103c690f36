import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { AppError, isAppError } from '../domain/errors.ts';

/** The first four bytes of every whisper.cpp ggml model ("ggml" as a little-endian uint32). */
export const GGML_MAGIC = 0x67676d6c;

export interface WhisperModelInfo {
  readonly path: string;
  readonly sizeBytes: number;
  /** `tiny.en`, `base`, ... from the shapes; `unknown` for other shapes. */
  readonly kind: string;
  readonly nVocab: number;
  readonly nAudioCtx: number;
  readonly nAudioLayer: number;
  readonly nTextLayer: number;
  readonly ftype: number;
  readonly tensors: number;
}

/** Bytes per block and elements per block of each ggml tensor type whisper.cpp model files use. */
const TYPE_SIZE: Readonly<Record<number, readonly [number, number]>> = {
  0: [4, 1], // f32
  1: [2, 1], // f16
  2: [18, 32], // q4_0
  3: [20, 32], // q4_1
  6: [22, 32], // q5_0
  7: [24, 32], // q5_1
  8: [34, 32], // q8_0
};

const SHAPES: Readonly<Record<string, string>> = { '4x384': 'tiny', '6x512': 'base', '12x768': 'small', '24x1024': 'medium', '32x1280': 'large' };
const ENGLISH_ONLY_VOCAB = 51864;

/**
 * Walks a model file's whole structure (header, mel filters, vocabulary, every tensor header and the
 * size of its data) without loading the weights. This is what stands between a bad file and the native
 * loader: smart-whisper's loader crashes the process (it prints timings of a null context) when
 * whisper.cpp refuses a file, so every failure whisper.cpp would find by size or shape is found here first.
 */
export function inspectWhisperModel(path: string): WhisperModelInfo {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError('SPEECH.MODEL_MISSING', code === 'ENOENT' ? `Whisper model not found: ${path}` : `cannot open Whisper model ${path} (${code})`, { cause: e });
  }
  try {
    return walk(fd, path);
  } finally {
    closeSync(fd);
  }
}

/**
 * The answer model is checked like the main one; its errors keep their code and say which setting's
 * file it is, so one line tells the operator what to fix.
 */
export function inspectAnswerModel(path: string): WhisperModelInfo {
  try {
    return inspectWhisperModel(path);
  } catch (e) {
    if (!isAppError(e)) throw e;
    throw new AppError(e.code, `speech.answerModel: ${e.message}`, { cause: e, details: { ...e.details } });
  }
}


function walk(fd: number, path: string): WhisperModelInfo {
  const size = fstatSync(fd).size;
  const invalid = (why: string): AppError => new AppError('SPEECH.MODEL_INVALID', `invalid Whisper model ${path}: ${why}`, { details: { path, sizeBytes: size } });
  if (size === 0) throw invalid('the file is empty');
  const scratch = Buffer.alloc(64);
  let off = 0;
  const read = (n: number): Buffer => {
    if (off + n > size) throw invalid(`truncated at byte ${off} of ${size}`);
    const b = n <= scratch.length ? scratch.subarray(0, n) : Buffer.alloc(n);
    readSync(fd, b, 0, n, off);
    off += n;
    return b;
  };
  const i32 = (): number => read(4).readInt32LE(0);

  if (size < 4 || read(4).readUInt32LE(0) !== GGML_MAGIC) throw invalid('wrong magic (not a whisper.cpp ggml model)');
  const h = read(44);
  const hp = Array.from({ length: 11 }, (_, k) => h.readInt32LE(k * 4));
  const [nVocab, nAudioCtx, nAudioState, , nAudioLayer, , , , nTextLayer, nMels, ftype] = hp as [number, number, number, number, number, number, number, number, number, number, number];
  if (nVocab < 1000 || nVocab > 60000 || nAudioLayer < 1 || nAudioLayer > 64 || nTextLayer < 1 || nTextLayer > 64 || nMels < 1 || nMels > 256) {
    throw invalid('implausible header');
  }
  const nMel = i32();
  const nFft = i32();
  if (nMel < 1 || nMel > 256 || nFft < 1 || nFft > 4096) throw invalid('implausible mel filter bank');
  off += nMel * nFft * 4;
  const vocab = i32();
  if (vocab < 0 || vocab > nVocab) throw invalid('implausible vocabulary size');
  for (let k = 0; k < vocab; k++) {
    const len = read(4).readUInt32LE(0);
    if (len > 1024) throw invalid('implausible vocabulary entry');
    off += len;
  }
  let tensors = 0;
  while (off < size) {
    const th = read(12);
    const nDims = th.readInt32LE(0);
    const nameLen = th.readInt32LE(4);
    const ttype = th.readInt32LE(8);
    if (nDims < 1 || nDims > 4 || nameLen < 1 || nameLen > 256) throw invalid(`bad tensor header at byte ${off - 12}`);
    let elements = 1;
    for (let d = 0; d < nDims; d++) elements *= i32();
    off += nameLen;
    const t = TYPE_SIZE[ttype];
    if (!t) throw invalid(`unknown tensor type ${ttype}`);
    const bytes = (elements / t[1]) * t[0];
    if (off + bytes > size) throw invalid(`truncated: tensor ${tensors} needs ${bytes} bytes at ${off}, the file has ${size}`);
    off += bytes;
    tensors++;
  }
  // whisper.cpp refuses a file without every tensor (7 + 15 per encoder layer, 4 + 24 per decoder layer).
  const expected = 7 + 15 * nAudioLayer + 4 + 24 * nTextLayer;
  if (tensors !== expected) throw invalid(`has ${tensors} tensors, expected ${expected}`);
  const shape = SHAPES[`${nAudioLayer}x${nAudioState}`];
  const kind = shape ? `${shape}${nVocab === ENGLISH_ONLY_VOCAB ? '.en' : ''}` : 'unknown';
  return { path, sizeBytes: size, kind, nVocab, nAudioCtx, nAudioLayer, nTextLayer, ftype, tensors };
}
