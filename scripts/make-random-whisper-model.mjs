#!/usr/bin/env node
/**
 * Writes a whisper.cpp model file with the exact shapes of an OpenAI Whisper English model (tiny.en,
 * base.en, small.en) and random weights. whisper.cpp loads it and spends the same compute on it as on
 * the real model, so tests and benchmarks get a real load and a real encoder cost without weights that
 * cannot be installed here. It hears nothing: its text is noise, never assert on it (scripts/README.md).
 *
 *   usage: node scripts/make-random-whisper-model.mjs OUT.bin [tiny.en|base.en|small.en] [--layers N]
 *
 * The same arguments always give the same bytes (a fixed-seed generator, no clock, no host data).
 * The file appears under OUT.bin only when complete (written beside it, then renamed).
 *
 * The legacy ggml layout whisper.cpp reads (`whisper_model_load`), all little-endian:
 *
 *   magic     u32     0x67676d6c ("ggml")
 *   hparams   11×i32  n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer,
 *                     n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype
 *                     (ftype 1: matrices are f16; 1-D tensors, conv biases and positional
 *                     embeddings stay f32)
 *   mel       i32 n_mel, i32 n_fft, then n_mel×n_fft f32: the filterbank that turns a 400-point
 *                     FFT (201 bins) of 16 kHz audio into 80 mel bands
 *   vocab     i32 count, then count × (u32 length, bytes): the stored tokens. An English model
 *                     stores GPT-2's 50,256 text tokens; whisper.cpp itself adds the special tokens
 *                     (end-of-text = 50256, start-of-transcript, timestamps, ...) up to n_vocab
 *   tensors   until end of file, each: i32 n_dims, i32 name length, i32 type (0 f32, 1 f16),
 *                     n_dims × i32 extents innermost first (ggml `ne`, i.e. PyTorch's shape
 *                     reversed), the name, then the data. whisper.cpp refuses an unknown name, a
 *                     wrong extent or byte size, and a file that leaves any tensor of the model out.
 *
 * Tensors (S = state width, L = layers): encoder.positional_embedding [1500,S], encoder.conv1.weight
 * [S,80,3] and .bias [S,1], encoder.conv2.weight [S,S,3] and .bias [S,1], L encoder blocks, encoder.ln_post,
 * decoder.positional_embedding [448,S], decoder.token_embedding.weight [51864,S], L decoder blocks,
 * decoder.ln. A block: attn_ln, attn.{query,key,value,out} (key has no bias), mlp_ln, mlp.0 [4S,S],
 * mlp.2 [S,4S]; a decoder block adds cross_attn_ln and cross_attn.{query,key,value,out}.
 *
 * The values: weights and biases are Gaussian noise (σ 0.02, the usual transformer initialisation),
 * layer-norm gains 1 and offsets 0, the mel filterbank the real one (Slaney-style, as librosa builds it
 * and Whisper ships it), the vocabulary GPT-2's 256 byte tokens, then placeholders ` w0`, ` w1`, ...
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

const MODELS = {
  'tiny.en': { state: 384, heads: 6, layers: 4 },
  'base.en': { state: 512, heads: 8, layers: 6 },
  'small.en': { state: 768, heads: 12, layers: 12 },
};
const N_VOCAB = 51864; // English-only models; 51865 and up would make whisper.cpp treat it as multilingual
const STORED_TOKENS = 50256;
const AUDIO_CTX = 1500; // 30 s of audio after the encoder's stride-2 convolution
const TEXT_CTX = 448;
const N_MELS = 80;
const N_FFT_BINS = 201; // a 400-sample window at 16 kHz
const SAMPLE_RATE = 16000;
const F32 = 0;
const F16 = 1;

function fail(message) {
  process.stderr.write(`make-random-whisper-model: ${message}\n`);
  process.stderr.write('usage: make-random-whisper-model.mjs OUT.bin [tiny.en|base.en|small.en] [--layers N]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const positional = [];
  let layers = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--layers') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1 || n > 64) fail('--layers takes a whole number from 1 to 64');
      layers = n;
    } else if (argv[i].startsWith('--')) fail(`unknown option ${argv[i]}`);
    else positional.push(argv[i]);
  }
  const [out, kind = 'tiny.en', extra] = positional;
  if (!out) fail('no output file');
  if (extra !== undefined) fail(`unexpected argument ${extra}`);
  if (!Object.hasOwn(MODELS, kind)) fail(`unknown model ${kind}`);
  return { out, kind, ...MODELS[kind], layers: layers ?? MODELS[kind].layers };
}

/** mulberry32: a small, fast 32-bit generator; fixed seed, so the output never varies. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  };
}

const f32View = new Float32Array(1);
const u32View = new Uint32Array(f32View.buffer);

/** IEEE 754 binary16 bits of a number, rounded to nearest even (subnormals included). */
function toHalf(x) {
  f32View[0] = x;
  const bits = u32View[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const full = mant | 0x800000;
    const shift = 14 - e;
    let half = full >>> shift;
    const rest = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++; // a carry rolls into the exponent, as it should
  return sign | half;
}

/**
 * Noise is drawn once into a pool and streamed from a cursor that runs on across tensors, so the file
 * costs one pass of writes, not 40+ million generator calls. The pool's length is prime, so no two
 * tensors start at the same phase of it. Stored twice over so any window is one contiguous slice.
 */
const POOL = 65521;
function noisePools(random) {
  const f16 = Buffer.alloc(POOL * 2 * 2);
  const f32 = Buffer.alloc(POOL * 2 * 4);
  for (let k = 0; k < POOL; k++) {
    const u = 1 - random(); // Box–Muller needs u in (0, 1]
    const v = random();
    const g = 0.02 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    for (const at of [k, k + POOL]) {
      f16.writeUInt16LE(toHalf(g), at * 2);
      f32.writeFloatLE(g, at * 4);
    }
  }
  return { f16, f32 };
}

/** The mel filterbank (Slaney mel scale, area-normalised), n_mels × n_fft bins, row-major. */
function melFilters() {
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logStep = Math.log(6.4) / 27;
  const hzToMel = (hz) => (hz < minLogHz ? hz / fSp : minLogMel + Math.log(hz / minLogHz) / logStep);
  const melToHz = (mel) => (mel < minLogMel ? mel * fSp : minLogHz * Math.exp(logStep * (mel - minLogMel)));
  const top = hzToMel(SAMPLE_RATE / 2);
  const edges = Array.from({ length: N_MELS + 2 }, (_, i) => melToHz((top * i) / (N_MELS + 1)));
  const out = Buffer.alloc(N_MELS * N_FFT_BINS * 4);
  for (let m = 0; m < N_MELS; m++) {
    const [lo, mid, hi] = [edges[m], edges[m + 1], edges[m + 2]];
    const norm = 2 / (hi - lo);
    for (let b = 0; b < N_FFT_BINS; b++) {
      const hz = (b * SAMPLE_RATE) / 2 / (N_FFT_BINS - 1);
      const w = Math.max(0, Math.min((hz - lo) / (mid - lo), (hi - hz) / (hi - mid)));
      out.writeFloatLE(w * norm, (m * N_FFT_BINS + b) * 4);
    }
  }
  return out;
}

/**
 * GPT-2's byte-level order for the first 256 tokens (the printable bytes !..~, ¡..¬, ®..ÿ, then the
 * rest in byte order, so token 220 is the space), then placeholders. whisper.cpp looks some tokens up
 * by text while decoding (" " for blank suppression) and fails on a vocabulary without them.
 */
function vocabulary() {
  const printable = (b) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const bytes = [];
  for (let b = 0; b < 256; b++) if (printable(b)) bytes.push(b);
  for (let b = 0; b < 256; b++) if (!printable(b)) bytes.push(b);
  const words = bytes.map((b) => Buffer.from([b]));
  for (let k = 0; words.length < STORED_TOKENS; k++) words.push(Buffer.from(` w${k}`));
  return words;
}

function int32s(...values) {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeInt32LE(v, i * 4));
  return b;
}

/** Every tensor whisper.cpp's model has, in PyTorch shape order; `fill` says what its values are. */
function tensorPlan(state, layers) {
  const plan = [];
  const add = (name, shape, type, fill = 'noise') => plan.push({ name, shape, type, fill });
  const norm = (name) => {
    add(`${name}.weight`, [state], F32, 'one');
    add(`${name}.bias`, [state], F32, 'zero');
  };
  const linear = (name, rows, cols, bias = true) => {
    add(`${name}.weight`, [rows, cols], F16);
    if (bias) add(`${name}.bias`, [rows], F32);
  };
  const block = (prefix, cross) => {
    for (const attn of cross ? ['attn', 'cross_attn'] : ['attn']) {
      norm(`${prefix}.${attn}_ln`);
      linear(`${prefix}.${attn}.query`, state, state);
      linear(`${prefix}.${attn}.key`, state, state, false);
      linear(`${prefix}.${attn}.value`, state, state);
      linear(`${prefix}.${attn}.out`, state, state);
    }
    norm(`${prefix}.mlp_ln`);
    linear(`${prefix}.mlp.0`, 4 * state, state);
    linear(`${prefix}.mlp.2`, state, 4 * state);
  };
  add('encoder.positional_embedding', [AUDIO_CTX, state], F32);
  add('encoder.conv1.weight', [state, N_MELS, 3], F16);
  add('encoder.conv1.bias', [state, 1], F32);
  add('encoder.conv2.weight', [state, state, 3], F16);
  add('encoder.conv2.bias', [state, 1], F32);
  for (let i = 0; i < layers; i++) block(`encoder.blocks.${i}`, false);
  norm('encoder.ln_post');
  add('decoder.positional_embedding', [TEXT_CTX, state], F32);
  add('decoder.token_embedding.weight', [N_VOCAB, state], F16);
  for (let i = 0; i < layers; i++) block(`decoder.blocks.${i}`, true);
  norm('decoder.ln');
  return plan;
}

function writeModel({ out, state, heads, layers }) {
  const random = generator(0x77687370); // "whsp"
  const pools = noisePools(random);
  const constants = { one: Buffer.alloc(state * 4), zero: Buffer.alloc(state * 4) };
  for (let k = 0; k < state; k++) constants.one.writeFloatLE(1, k * 4);

  const partial = `${out}.partial-${process.pid}`;
  const fd = openSync(partial, 'w');
  let complete = false;
  try {
    const put = (buf) => writeSync(fd, buf);
    put(int32s(0x67676d6c));
    put(int32s(N_VOCAB, AUDIO_CTX, state, heads, layers, TEXT_CTX, state, heads, layers, N_MELS, F16));
    put(int32s(N_MELS, N_FFT_BINS));
    put(melFilters());
    put(int32s(STORED_TOKENS));
    for (const word of vocabulary()) {
      put(int32s(word.length));
      put(word);
    }
    let cursor = 0;
    for (const { name, shape, type, fill } of tensorPlan(state, layers)) {
      const nameBytes = Buffer.from(name);
      put(int32s(shape.length, nameBytes.length, type, ...[...shape].reverse()));
      put(nameBytes);
      const count = shape.reduce((a, b) => a * b, 1);
      if (fill !== 'noise') {
        put(constants[fill].subarray(0, count * 4)); // norms are [state], f32
        continue;
      }
      const width = type === F16 ? 2 : 4;
      const pool = type === F16 ? pools.f16 : pools.f32;
      for (let left = count; left > 0; ) {
        const n = Math.min(left, POOL);
        put(pool.subarray(cursor * width, (cursor + n) * width));
        cursor = (cursor + n) % POOL;
        left -= n;
      }
    }
    complete = true;
  } finally {
    closeSync(fd);
    if (!complete) rmSync(partial, { force: true });
  }
  renameSync(partial, out);
}

writeModel(parseArgs(process.argv.slice(2)));
