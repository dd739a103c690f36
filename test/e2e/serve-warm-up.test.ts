import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { configSchema, type Config } from '../../src/config/config-schema.ts';
import { AppError, isAppError } from '../../src/domain/errors.ts';
import { startService } from '../../src/main.ts';
import { tempDir } from '../store/store-test-helpers.ts';
import { memoryLogger } from './serve-harness.ts';
import { ToneTranscriber } from './tone-speech.ts';

/**
 * The service loads its recognizer's model before it reports running, through the Transcriber port's
 * optional `warmUp()` (no adapter class is tested by name in src/main.ts). Peers are down on purpose
 * (closed ports): nothing here needs a call.
 */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function config(t: { after(fn: () => void): void }): Promise<Config> {
  const { dir, cleanup } = tempDir('ck-warmup-');
  t.after(cleanup);
  const port = await closedPort();
  return configSchema.parse({
    engine: 'asterisk',
    database: { path: join(dir, 'callkeeper.db') },
    recordings: { dir: join(dir, 'recordings') },
    prompts: { dir: join(dir, 'prompts') },
    asterisk: { url: `http://127.0.0.1:${port}`, password: 'x' },
    smpp: { host: '127.0.0.1', port, password: 'x' },
    speech: { engine: 'pocketsphinx' },
    admin: { port: 0 },
  });
}

class WarmingTranscriber extends ToneTranscriber {
  warmUps = 0;
  constructor(private readonly failWith: AppError | null) {
    super();
  }
  async warmUp(): Promise<void> {
    this.warmUps += 1;
    if (this.failWith) throw this.failWith;
  }
}

describe('serve warms the recognizer up', () => {
  test('a recognizer that can warm up is warmed up once before startService resolves', async (t) => {
    const transcriber = new WarmingTranscriber(null);
    const service = await startService(await config(t), { logger: memoryLogger(), transcriber, retention: false });
    t.after(() => service.shutdown('test'));
    assert.equal(transcriber.warmUps, 1);
  });

  test('a model that cannot load is a start-up error with its code, and the database lock is released', async (t) => {
    const cfg = await config(t);
    const broken = new WarmingTranscriber(new AppError('SPEECH.MODEL_INVALID', 'model file is truncated'));
    await assert.rejects(startService(cfg, { logger: memoryLogger(), transcriber: broken, retention: false }), (e) => isAppError(e, 'SPEECH.MODEL_INVALID'));
    assert.equal(broken.warmUps, 1);
    // The lock went with the failed start: the next start on the same database is not refused.
    const next = await startService(cfg, { logger: memoryLogger(), transcriber: new ToneTranscriber(), retention: false });
    await next.shutdown('test');
  });
});
