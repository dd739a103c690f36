/** The adapter's pure parts as tables: ARI error bodies, recording ends, prompt URIs, hangup causes. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { translateAriError } from '../../../src/telephony/asterisk/ari-error-translator.ts';
import { hangupCause } from '../../../src/telephony/asterisk/ari-event.ts';
import { promptMediaUri } from '../../../src/telephony/asterisk/ari-prompt-mapper.ts';
import { recordingEnd, type RecordingFacts } from '../../../src/telephony/asterisk/ari-recording-end.ts';

describe('ARI error translation (bodies from traces 05 and 08b)', () => {
  const body = (message: string) => new Error(JSON.stringify({ message }));
  const rows: [string, unknown, string, boolean][] = [
    ['404 on a channel', body('Channel not found'), 'TELEPHONY.CHANNEL_GONE', false],
    ['409 channel left Stasis', body('Channel not in Stasis application'), 'TELEPHONY.CHANNEL_GONE', false],
    ['404 playback', body('Playback not found'), 'TELEPHONY.REQUEST_FAILED', false],
    ['500 missing media', body('Failed to queue media for playback'), 'TELEPHONY.REQUEST_FAILED', false],
    ['500 missing record name', body('Error parsing request'), 'TELEPHONY.REQUEST_FAILED', false],
    ['422 unknown format', body('specified format is unknown on this system'), 'TELEPHONY.REQUEST_FAILED', false],
    ['409 recording exists', body("Recording 'x' already exists and can not be overwritten"), 'TELEPHONY.REQUEST_FAILED', false],
    ['503 while booting', body('Asterisk not booted'), 'TELEPHONY.ENGINE_UNAVAILABLE', true],
    ['404 html while ARI registers', new Error('<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\r\n<html>'), 'TELEPHONY.ENGINE_UNAVAILABLE', true],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'TELEPHONY.ENGINE_UNAVAILABLE', true],
    ['connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'TELEPHONY.ENGINE_UNAVAILABLE', true],
    ['401', body('Authentication required'), 'TELEPHONY.REQUEST_FAILED', false],
  ];
  for (const [name, err, code, retryable] of rows) {
    test(name, () => {
      const e = translateAriError(err, 'test', { channelId: '1.2' });
      assert.equal(e.code, code);
      assert.equal(e.retryable, retryable);
      assert.equal(e.details['channelId'], '1.2');
      assert.equal(e.cause, err);
    });
  }
  test('not-found bodies are marked so stop/fetch can tell them apart', () => {
    assert.equal(translateAriError(body('Recording not found'), 'fetch').details['notFound'], true);
    assert.equal(translateAriError(body('Error parsing request'), 'record').details['notFound'], undefined);
  });
});

describe('why a recording ended (RecordingFinished does not say)', () => {
  const base: RecordingFacts = { failed: false, stopRequested: false, hangupSeen: false, hashSeen: false, maxSilenceSeconds: 3, maxDurationSeconds: 120, durationSeconds: 4, elapsedMs: 7000 };
  const rows: [string, Partial<RecordingFacts>, string][] = [
    ['trimmed duration under the limit: silence (01)', {}, 'silence'],
    ['duration at the limit: max-duration', { durationSeconds: 120 }, 'max-duration'],
    ['no silence detection: only max duration can end it (06)', { maxSilenceSeconds: 0, durationSeconds: 3 }, 'max-duration'],
    ['# seen with terminateOn=# (04)', { hashSeen: true, maxSilenceSeconds: 0 }, 'dtmf'],
    ['hangup seen (03)', { hangupSeen: true, hashSeen: true }, 'hangup'],
    ['we stopped it (05)', { stopRequested: true, hangupSeen: true }, 'stopped'],
    ['RecordingFailed', { failed: true, stopRequested: true }, 'failed'],
    ['duration unknown (lost in a websocket gap), time says max', { durationSeconds: null, elapsedMs: 121_000 }, 'max-duration'],
    ['duration unknown, time says silence', { durationSeconds: null, elapsedMs: 9000 }, 'silence'],
  ];
  for (const [name, facts, end] of rows) test(name, () => assert.equal(recordingEnd({ ...base, ...facts }), end));
});

describe('prompt files to media URIs', () => {
  test('same host: the absolute path without .wav', () => {
    assert.equal(promptMediaUri({ file: '/var/lib/callkeeper/prompts/b1/greeting.wav' }, {}), 'sound:/var/lib/callkeeper/prompts/b1/greeting');
  });
  test('Asterisk on another host: the same file under the engine-side directory', () => {
    const m = { promptsDir: '/srv/ck/prompts', promptsEngineDir: '/mnt/callkeeper-prompts' };
    assert.equal(promptMediaUri({ file: '/srv/ck/prompts/b1/consent.wav' }, m), 'sound:/mnt/callkeeper-prompts/b1/consent');
  });
  test('a file outside the prompts directory is played from where it is', () => {
    const m = { promptsDir: '/srv/ck/prompts', promptsEngineDir: '/mnt/p' };
    assert.equal(promptMediaUri({ file: '/opt/other/beep.wav' }, m), 'sound:/opt/other/beep');
  });
});

describe('hangup causes (test/fixtures/asterisk/traces/README.md, point 2)', () => {
  test('no cause field: the far end sent BYE', () => assert.equal(hangupCause({ type: 'ChannelHangupRequest' }), 'caller'));
  test('32 soft: our DELETE', () => assert.equal(hangupCause({ type: 'ChannelHangupRequest', cause: 32, soft: true }), 'app'));
  test('4 soft: Asterisk shutdown', () => assert.equal(hangupCause({ type: 'ChannelHangupRequest', cause: 4, soft: true }), 'engine-shutdown'));
  test('no ChannelHangupRequest seen', () => assert.equal(hangupCause(null), 'unknown'));
});
