import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createSystemClock } from '../../src/app/system-clock.ts';
import { createEngine } from '../../src/compose/call-engine-factory.ts';
import { engineProfile, type EngineProfile } from '../../src/compose/engine-profile.ts';
import { recordingRoots } from '../../src/compose/recording-purge.ts';
import { configSchema, type Config } from '../../src/config/config-schema.ts';
import type { Logger } from '../../src/domain/ports/logger.ts';
import { tempDir } from '../store/store-test-helpers.ts';

/**
 * Engine differences outside the engine factory are read from the engine's declared
 * capabilities (src/compose/engine-profile.ts), not from `config.engine`.
 */
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

function configFor(engine: 'asterisk' | 'freeswitch', dir: string): Config {
  return configSchema.parse({
    engine,
    database: { path: ':memory:' },
    recordings: { dir: join(dir, 'recordings') },
    prompts: { dir: join(dir, 'prompts') },
    asterisk: { url: 'http://127.0.0.1:1', password: 'x' },
    freeswitch: { listenPort: 0, recordingsDir: '/var/lib/freeswitch/recordings/callkeeper', localRecordingsDir: join(dir, 'fs-recordings') },
    smpp: { host: '127.0.0.1', port: 1, password: 'x' },
  });
}

describe('engine profile', () => {
  test('the profile carries the very capabilities each adapter declares, and the readiness link', async (t) => {
    const { dir, cleanup } = tempDir('ck-profile-');
    t.after(cleanup);
    for (const [engine, link] of [['asterisk', 'ari'], ['freeswitch', 'esl']] as const) {
      const config = configFor(engine, dir);
      const built = await createEngine(config, quiet, createSystemClock());
      const profile = engineProfile(config);
      assert.equal(profile.capabilities, built.capabilities, `${engine}: the profile and the adapter disagree`);
      assert.equal(profile.link, link);
    }
  });

  test('the purge covers the engine\'s own folder exactly when the engine does not fetch recordings over its API', (t) => {
    const { dir, cleanup } = tempDir('ck-profile-');
    t.after(cleanup);
    const fs = configFor('freeswitch', dir);
    const fsProfile = engineProfile(fs);
    assert.equal(fsProfile.capabilities.fetchesRecordingsRemotely, false);
    assert.deepEqual(recordingRoots(fs), [join(dir, 'recordings'), join(dir, 'fs-recordings')]);
    // The capability decides, not the engine's name: the same FreeSWITCH config with an engine that
    // fetches over its API leaves that folder alone, and an Asterisk config with one that does not covers it.
    const fetching: EngineProfile = { ...fsProfile, capabilities: { ...fsProfile.capabilities, fetchesRecordingsRemotely: true } };
    assert.deepEqual(recordingRoots(fs, fetching), [join(dir, 'recordings')]);
    const ast = configFor('asterisk', dir);
    assert.deepEqual(recordingRoots(ast), [join(dir, 'recordings')]);
    const writesHere: EngineProfile = { link: 'ari', capabilities: { fetchesRecordingsRemotely: false, waitsForSpeech: true }, recordingsDirHere: join(dir, 'elsewhere') };
    assert.deepEqual(recordingRoots(ast, writesHere), [join(dir, 'recordings'), join(dir, 'elsewhere')]);
  });
});
