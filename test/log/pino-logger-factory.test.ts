import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log/pino-logger-factory.ts';
import { scrubMessage } from '../../src/log/redact-fields.ts';
import { REDACTED_KEYS, REDACTED_MARK } from '../../src/log/redacted-keys.ts';
import { AppError } from '../../src/domain/errors.ts';

/** Collects the JSON lines the logger writes (pino writes to a plain Writable synchronously enough). */
function sink(): { stream: Writable; lines: () => Record<string, unknown>[]; raw: () => string } {
  let buf = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      buf += String(chunk);
      cb();
    },
  });
  return {
    stream,
    raw: () => buf,
    lines: () =>
      buf
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const PHONE = '+15125550123';
const TRANSCRIPT = 'my kitchen faucet is leaking call me back';
const DIGITS = '4711';
const TOKEN = 's3cr3t-admin-token';

describe('createLogger', () => {
  test('writes JSON with the level label and honours the configured level', () => {
    const out = sink();
    const log = createLogger({ level: 'warn' }, { destination: out.stream });
    log.info({ a: 1 }, 'dropped');
    log.warn({ a: 2 }, 'kept');
    const lines = out.lines();
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.level, 'warn');
    assert.equal(lines[0]!.msg, 'kept');
    assert.equal(lines[0]!.a, 2);
    assert.equal(lines[0]!.name, 'callkeeper');
  });

  test('redacts phone numbers, transcripts, DTMF digits and tokens at every depth', () => {
    const out = sink();
    const log = createLogger({ level: 'debug' }, { destination: out.stream });
    log.info(
      {
        caller: PHONE,
        callerE164: PHONE,
        consumer: PHONE,
        to: PHONE,
        from: PHONE,
        transcript: TRANSCRIPT,
        text: TRANSCRIPT,
        digit: DIGITS,
        digits: DIGITS,
        token: TOKEN,
        password: TOKEN,
        did: '+15125550100',
        callId: 42,
        call: { caller: PHONE, transcript: TRANSCRIPT },
        pdu: { destination_addr: PHONE, short_message: TRANSCRIPT },
      },
      'call answered',
    );
    log.child({ callId: 7 }).warn({ sms: { to: PHONE, body: TRANSCRIPT } }, 'text queued');
    log.error({ err: new AppError('SMS.SUBMIT_REJECTED', 'submit refused', { details: { to: PHONE, text: TRANSCRIPT } }) }, 'send failed');
    const raw = out.raw();
    for (const secret of [PHONE, TRANSCRIPT, DIGITS, TOKEN]) assert.ok(!raw.includes(secret), `log output leaks ${secret}: ${raw}`);
    const [first, second, third] = out.lines();
    assert.equal(first!.caller, REDACTED_MARK);
    assert.equal(first!.digits, REDACTED_MARK);
    assert.equal(first!.token, REDACTED_MARK);
    assert.deepEqual(first!.call, { caller: REDACTED_MARK, transcript: REDACTED_MARK });
    // What operators need stays readable.
    assert.equal(first!.did, '+15125550100');
    assert.equal(first!.callId, 42);
    assert.equal(second!.callId, 7);
    assert.deepEqual(second!.sms, { to: REDACTED_MARK, body: REDACTED_MARK });
    const err = third!.err as { code: string; details: Record<string, unknown> };
    assert.equal(err.code, 'SMS.SUBMIT_REJECTED');
    assert.deepEqual(err.details, { to: REDACTED_MARK, text: REDACTED_MARK });
  });

  test('redacts child bindings, arrays and deep nesting; keeps nulls; never modifies the caller\'s object', () => {
    const out = sink();
    const log = createLogger({ level: 'info' }, { destination: out.stream });
    const fields = {
      batch: [{ to: PHONE, id: 1 }, { to: PHONE, id: 2 }],
      a: { b: { c: { d: { transcript: TRANSCRIPT } } } },
      caller: null,
    };
    const snapshot = structuredClone(fields);
    log.child({ caller: PHONE, callId: 9 }).info(fields, 'batch');
    assert.deepEqual(fields, snapshot);
    const raw = out.raw();
    assert.ok(!raw.includes(PHONE) && !raw.includes(TRANSCRIPT), raw);
    const line = out.lines()[0]!;
    assert.deepEqual(line.batch, [{ to: REDACTED_MARK, id: 1 }, { to: REDACTED_MARK, id: 2 }]);
    assert.deepEqual(line.a, { b: { c: { d: { transcript: REDACTED_MARK } } } });
    assert.equal(line.caller, null);
    assert.equal(line.callId, 9);
  });

  test('error messages and stacks, including causes, are scrubbed of phone-shaped numbers', () => {
    const out = sink();
    const log = createLogger({ level: 'info' }, { destination: out.stream });
    log.error({ err: new Error('submit failed', { cause: new Error(`invalid destination ${PHONE}`) }) }, 'send failed');
    const raw = out.raw();
    assert.ok(!raw.includes(PHONE), raw);
    const err = out.lines()[0]!.err as { message: string; stack: string };
    assert.match(err.message, /submit failed: invalid destination \[number\]/);
  });

  test('message strings carry no phone number even when a caller slips one in', () => {
    const out = sink();
    const log = createLogger({ level: 'info' }, { destination: out.stream });
    log.info({}, `call from ${PHONE} answered`);
    log.info({}, 'call from (512) 555-0123 answered');
    log.child({ component: 'x' }).info({}, `retry for 5125550123`);
    for (const line of out.lines()) {
      assert.ok(!/\d{7}/.test(String(line.msg)), `message leaks a number: ${String(line.msg)}`);
      assert.ok(String(line.msg).includes('[number]'));
    }
  });

  test('a child binding that repeats a parent key appears once per line, the child\'s value winning', () => {
    const out = sink();
    // What `serve` does: the root logger is bound to component "serve", and each adapter takes a child.
    const log = createLogger({ level: 'info' }, { destination: out.stream, bindings: { component: 'serve', version: '0.1.0' } });
    log.child({ component: 'smpp' }).info({ window: 10 }, 'bound');
    log.child({ component: 'notify' }).child({ component: 'webhook', businessId: 3 }).warn({}, 'retrying');
    log.info({}, 'plain');
    const raw = out.raw().trim().split('\n');
    // JSON.parse keeps the last of two equal keys, so count them in the raw line.
    for (const line of raw) assert.equal(line.match(/"component":/g)?.length, 1, line);
    const [smpp, webhook, plain] = out.lines();
    assert.equal(smpp!.component, 'smpp');
    assert.equal(smpp!.version, '0.1.0');
    assert.equal(webhook!.component, 'webhook');
    assert.equal(webhook!.businessId, 3);
    assert.equal(plain!.component, 'serve');
  });

  test('the scrubber leaves ordinary messages alone', () => {
    assert.equal(scrubMessage('listening on 127.0.0.1:9464'), 'listening on 127.0.0.1:9464');
    assert.equal(scrubMessage('purged 12 recordings older than 90 days'), 'purged 12 recordings older than 90 days');
  });

  test('the redaction list covers the documented kinds of data', () => {
    for (const k of ['caller', 'callerE164', 'callerId', 'consumer', 'phone', 'transcript', 'text', 'digit', 'digits', 'token', 'password']) {
      assert.ok((REDACTED_KEYS as readonly string[]).includes(k), k);
    }
  });

  test('a phone-shaped value is redacted whatever its field is called; phase names, ids, hashes and DIDs stay', () => {
    const numbers = ['+15125550299', '15125550299', '(512) 555-0299', '512-555-0299', 'sip:+15125550299@10.0.0.1', '0015125490016'];
    const visible = ['greeting', 'consent-question', '1733512345.12', 'a3f1c2d4e5b60718293a4b5c6d7e8f90', '127.0.0.1:8088', 'call-42'];
    const out = sink();
    const logger = createLogger({ level: 'info' }, { destination: out.stream });
    const lines = out.lines;
    logger.info({ callerId: numbers[0], weird: numbers, from: 'greeting', to: 'consent-question', did: '+15125550100', ids: visible }, 'call handed over');
    logger.info({ from: numbers[1], to: numbers[2], nested: { anyName: numbers[5] } }, 'text queued');
    const text = lines().map((l) => JSON.stringify(l)).join('\n');
    for (const n of numbers) assert.ok(!text.includes(n), `leaked ${n}`);
    for (const v of visible) assert.ok(text.includes(v), `over-redacted ${v}`);
    assert.ok(text.includes('+15125550100'), 'the business DID stays visible');
  });
});
