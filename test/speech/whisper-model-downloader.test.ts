import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../../src/domain/errors.ts';
import type { ModelCatalog } from '../../src/speech/whisper-model-catalog.ts';
import { pullWhisperModel } from '../../src/speech/whisper-model-downloader.ts';
import { randomWhisperModel } from './fixtures/speech-fixtures.ts';

interface Served { ranges: boolean; cutAt?: number; body: Buffer; requests: Array<string | undefined> }

describe('pullWhisperModel against a local HTTP server', () => {
  let model: Buffer;
  let sha256: string;
  let server: Server;
  let base: string;
  let dir: string;
  const served: Served = { ranges: true, body: Buffer.alloc(0), requests: [] };
  const catalog = (): ModelCatalog => ({ 'tiny.en': { file: 'ggml-tiny.en.bin', sha256, approxBytes: model.length } });

  before(async () => {
    model = readFileSync(randomWhisperModel('tiny.en', 1));
    sha256 = createHash('sha256').update(model).digest('hex');
    server = createServer((req, res) => {
      served.requests.push(req.headers.range);
      if (req.url !== '/models/ggml-tiny.en.bin') return void res.writeHead(404).end();
      const body = served.body;
      const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      let start = 0;
      if (m && served.ranges) {
        start = Number(m[1]);
        if (start >= body.length) return void res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        res.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
      } else {
        res.writeHead(200, { 'content-length': body.length });
      }
      const slice = body.subarray(start, served.cutAt ?? body.length);
      res.write(slice, () => {
        if (served.cutAt !== undefined) res.destroy();
        else res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/models/`;
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });
  const fresh = (): string => (dir = mkdtempSync(join(tmpdir(), 'ck-pull-')));
  const reset = (over: Partial<Served> = {}): void => {
    Object.assign(served, { ranges: true, cutAt: undefined, body: model, requests: [] }, over);
  };

  test('downloads the published file name, verifies it and reports progress', async () => {
    reset();
    fresh();
    let last = 0;
    const r = await pullWhisperModel({ name: 'tiny.en', dir, mirror: base, catalog: catalog(), onProgress: (n) => (last = n) });
    assert.equal(r.path, join(dir, 'ggml-tiny.en.bin'));
    assert.equal(r.bytes, model.length);
    assert.equal(last, model.length);
    assert.equal(r.checksum, `sha256:${sha256}`);
    assert.ok(!existsSync(`${r.path}.part`));
    rmSync(dir, { recursive: true });
  });

  test('an interrupted download resumes with a Range request', async () => {
    reset({ cutAt: 10_000_000 });
    fresh();
    await assert.rejects(pullWhisperModel({ name: 'tiny.en', dir, mirror: base, catalog: catalog() }), (e) => isAppError(e, 'SPEECH.MODEL_MISSING') && /resume/.test((e as Error).message));
    const partSize = statSync(join(dir, 'ggml-tiny.en.bin.part')).size;
    assert.ok(partSize > 0 && partSize <= 10_000_000);
    reset();
    const r = await pullWhisperModel({ name: 'tiny.en', dir, mirror: base, catalog: catalog() });
    assert.equal(r.resumedFrom, partSize);
    assert.equal(served.requests[0], `bytes=${partSize}-`);
    assert.ok(readFileSync(r.path).equals(model));
    rmSync(dir, { recursive: true });
  });

  test('a server without Range support restarts from zero and still verifies', async () => {
    reset({ ranges: false });
    fresh();
    writeFileSync(join(dir, 'ggml-tiny.en.bin.part'), model.subarray(0, 5_000_000));
    const r = await pullWhisperModel({ name: 'tiny.en', dir, mirror: base, catalog: catalog() });
    assert.equal(r.resumedFrom, 0);
    assert.ok(readFileSync(r.path).equals(model));
    rmSync(dir, { recursive: true });
  });

  test('a complete part file (416) is verified and kept', async () => {
    reset();
    fresh();
    writeFileSync(join(dir, 'ggml-tiny.en.bin.part'), model);
    const r = await pullWhisperModel({ name: 'tiny.en', dir, mirror: base, catalog: catalog() });
    assert.equal(r.resumedFrom, model.length);
    rmSync(dir, { recursive: true });
  });

  test('a checksum mismatch is refused and the part file removed', async () => {
    reset();
    fresh();
    await assert.rejects(
      pullWhisperModel({ name: 'tiny.en', dir, mirror: base, catalog: catalog(), sha256: '0'.repeat(64) }),
      (e) => isAppError(e, 'SPEECH.MODEL_INVALID') && /checksum/.test((e as Error).message),
    );
    assert.ok(!existsSync(join(dir, 'ggml-tiny.en.bin')) && !existsSync(join(dir, 'ggml-tiny.en.bin.part')));
    rmSync(dir, { recursive: true });
  });

  test('the wrong magic is refused', async () => {
    const wrong = Buffer.from(model);
    wrong.write('GGUF', 0, 'ascii');
    reset({ body: wrong });
    fresh();
    await assert.rejects(pullWhisperModel({ name: 'tiny.en', dir, mirror: base, catalog: catalog() }), (e) => isAppError(e, 'SPEECH.MODEL_INVALID') && /magic/.test((e as Error).message));
    rmSync(dir, { recursive: true });
  });

  test('a truncated file (server sends less than the model holds) is refused', async () => {
    reset({ body: model.subarray(0, 20_000_000) });
    fresh();
    await assert.rejects(pullWhisperModel({ name: 'tiny.en', dir, mirror: base, catalog: catalog() }), (e) => isAppError(e, 'SPEECH.MODEL_INVALID') && /truncated/.test((e as Error).message));
    rmSync(dir, { recursive: true });
  });

  test('the built-in table refuses a file of another shape even with a matching checksum override', async () => {
    reset();
    fresh();
    await assert.rejects(pullWhisperModel({ name: 'tiny.en', dir, mirror: base, sha256 }), (e) => isAppError(e, 'SPEECH.MODEL_INVALID') && /not tiny\.en/.test((e as Error).message));
    rmSync(dir, { recursive: true });
  });

  test('HTTP 404 and an unknown name fail clearly', async () => {
    reset();
    fresh();
    await assert.rejects(pullWhisperModel({ name: 'tiny.en', dir, mirror: `${base}nothing/`, catalog: catalog() }), (e) => isAppError(e, 'SPEECH.MODEL_MISSING') && /404/.test((e as Error).message));
    await assert.rejects(pullWhisperModel({ name: 'huge.en', dir, mirror: base }), (e) => isAppError(e, 'INPUT.INVALID'));
    rmSync(dir, { recursive: true });
  });
});
