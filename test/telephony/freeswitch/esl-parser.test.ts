import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { parseChannelData } from '../../../src/telephony/freeswitch/esl-channel-data.ts';
import { decodeEslValue, encodeEslValue } from '../../../src/telephony/freeswitch/esl-decode.ts';
import { parseEvent } from '../../../src/telephony/freeswitch/esl-event.ts';
import type { EslFrame } from '../../../src/telephony/freeswitch/esl-frame.ts';
import { EslParser } from '../../../src/telephony/freeswitch/esl-parser.ts';

/** Frames copied byte for byte from test/fixtures/freeswitch/traces (esl-trace-fixture.test.ts checks each one). */
interface Fixture {
  trace: string;
  conn: string;
  n: number;
  content_type: string | null;
  event_name: string | null;
  raw: string;
}
const fixtures: Fixture[] = JSON.parse(readFileSync(new URL('./fixtures/esl-trace-frames.json', import.meta.url), 'utf8')).frames;
const fx = (trace: string, n: number, conn?: string): Fixture => {
  const f = fixtures.find((x) => x.trace === trace && x.n === n && (conn === undefined || x.conn === conn));
  if (!f) throw new Error(`no fixture ${trace}/${n}`);
  return f;
};
const one = (f: Fixture): EslFrame => {
  const frames = new EslParser().push(Buffer.from(f.raw, 'utf8'));
  assert.equal(frames.length, 1, `${f.trace}/${f.n} is one frame`);
  return frames[0] as EslFrame;
};
const stream = Buffer.concat(fixtures.map((f) => Buffer.from(f.raw, 'utf8')));

/** Deterministic PRNG so a failing split is reproducible from the seed in the message. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function summary(frames: EslFrame[]): string[] {
  return frames.map((f) => `${f.contentType}|${f.headers.length}|${f.body.length}|${f.body.toString('base64').slice(0, 24)}`);
}

describe('EslParser on real FreeSWITCH frames', () => {
  test('every fixture frame parses to exactly one frame with its content type and byte-counted body', () => {
    for (const f of fixtures) {
      const frame = one(f);
      assert.equal(frame.contentType, f.content_type, `${f.trace}/${f.n}`);
      const cl = frame.header('Content-Length');
      assert.equal(frame.body.length, cl === undefined ? 0 : Number(cl), `${f.trace}/${f.n} body`);
    }
  });

  test('the whole stream in one push gives every frame in order', () => {
    const frames = new EslParser().push(stream);
    assert.equal(frames.length, fixtures.length);
    assert.deepEqual(
      frames.map((f) => f.contentType),
      fixtures.map((f) => f.content_type),
    );
  });

  test('split at arbitrary byte boundaries (fuzzed, and byte by byte) the result is identical', () => {
    const expected = summary(new EslParser().push(stream));
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = mulberry32(seed);
      const parser = new EslParser();
      const got: EslFrame[] = [];
      let at = 0;
      while (at < stream.length) {
        // Mostly small cuts, sometimes large ones, so that UTF-8 sequences and `\n\n` get split too.
        const len = 1 + Math.floor(rnd() < 0.7 ? rnd() * 64 : rnd() * 16_384);
        got.push(...parser.push(stream.subarray(at, at + len)));
        at += len;
      }
      assert.deepEqual(summary(got), expected, `seed ${seed}`);
      assert.equal(parser.buffered, 0, `seed ${seed} leaves nothing buffered`);
    }
    const parser = new EslParser();
    const got: EslFrame[] = [];
    for (let i = 0; i < stream.length; i++) got.push(...parser.push(stream.subarray(i, i + 1)));
    assert.deepEqual(summary(got), expected);
  });

  test('Content-Length counts bytes, not characters (UTF-8 in a body)', () => {
    const body = Buffer.from('ü€ ok', 'utf8');
    const raw = Buffer.concat([Buffer.from(`Content-Type: api/response\nContent-Length: ${body.length}\n\n`), body, Buffer.from('Content-Type: command/reply\nReply-Text: +OK\n\n')]);
    const frames = new EslParser().push(raw);
    assert.equal(frames.length, 2);
    assert.equal(frames[0]?.bodyText(), 'ü€ ok');
    assert.equal(frames[1]?.header('Reply-Text'), '+OK');
  });
});

describe('the frames FreeSWITCH does not encode', () => {
  test('getvar returns the raw value: a literal % and a raw LF (07) are kept, the LF rebuilt', () => {
    const frame = one(fx('07', 10, 'out2'));
    assert.equal(frame.header('Reply-Text'), '100% ok; literal %41 and %zz; ü; a+b=c&d <x> "q" \'s\' tab\tend\nsecond line');
  });

  test('modesl 1.2.1 throws an uncaught URIError on that frame; this parser does not', () => {
    const require = createRequire(import.meta.url);
    const ModeslParser = require('modesl/lib/esl/Parser.js') as new (socket: EventEmitter) => unknown;
    const socket = new EventEmitter();
    new ModeslParser(socket);
    assert.throws(() => socket.emit('data', Buffer.from(fx('07', 10, 'out2').raw, 'utf8')), URIError);
    assert.doesNotThrow(() => new EslParser().push(Buffer.from(fx('07', 10, 'out2').raw, 'utf8')));
  });

  test('-ERR replies, api bodies and the linger notice stay raw', () => {
    assert.equal(one(fx('05', 2)).header('Reply-Text'), '-ERR aready enabled.');
    assert.equal(one(fx('05', 19)).header('Reply-Text'), '-ERR invalid session id [00000000-0000-0000-0000-000000000000]');
    assert.equal(one(fx('05', 16)).bodyText(), '-ERR no_such_api Command not found!\n');
    assert.equal(one(fx('02', 18)).bodyText(), 'false');
    assert.equal(one(fx('08', 3, 'in2')).bodyText(), 'FreeSWITCH Version 1.10.12-release~64bit ( 64bit)\n');
    const linger = one(fx('07', 23, 'out2'));
    assert.equal(linger.header('Content-Disposition'), 'linger');
    assert.equal(linger.header('Channel-Name'), 'sofia/esl/+1-555 123@127.0.0.1');
    assert.equal(linger.header('Linger-Time'), '-1');
    const bgapi = one(fx('05', 23));
    assert.equal(bgapi.header('Job-UUID'), '63e5d9b2-d2d9-4af6-afe2-69ad889dad9d');
  });
});

describe('decoding (once)', () => {
  test('the connect reply (no Content-Length, encoded headers) gives caller ID, dialed number, UUID', () => {
    const data = parseChannelData(one(fx('07', 0, 'out2')));
    assert.ok(data);
    assert.equal(data.uuid, '0fc5cf30-d187-4247-8603-978ecd03e41b');
    assert.equal(data.callerIdRaw, '+1-555 123');
    assert.equal(data.callerName, 'Zoë O\'Brien \\"QA\\" & Co. 100% +=;?');
    assert.equal(data.dialed, '+4930123456');
    assert.equal(data.headers.get('Reply-Text'), '+OK\n');
    assert.equal(data.headers.get('Control'), 'full');
  });

  test('a plain event value that held %41 decodes to A (FreeSWITCH does not re-encode it); %zz stays', () => {
    const ev = parseEvent(one(fx('07', 9, 'out2')));
    assert.ok(ev);
    assert.equal(ev.variable('esl_probe'), '100% ok; literal A and %zz; ü; a+b=c&d <x> "q" \'s\' tab\tend\nsecond line');
  });

  test('decoding is not idempotent, which is why it happens exactly once', () => {
    assert.equal(decodeEslValue('100%2541'), '100%41');
    assert.equal(decodeEslValue(decodeEslValue('100%2541')), '100A');
    assert.equal(decodeEslValue('%zz%4'), '%zz%4', 'malformed escapes stay literal and never throw');
    assert.equal(decodeEslValue('a+b'), 'a+b', '+ is not a space in FreeSWITCH encoding');
  });

  test('the encoder matches switch_url_encode on every plain event line of the fixtures', () => {
    let checked = 0;
    for (const f of fixtures.filter((x) => x.content_type === 'text/event-plain' && x.event_name !== 'CUSTOM')) {
      const body = one(f).bodyText();
      for (const line of body.split('\n')) {
        const c = line.indexOf(': ');
        if (c < 0) continue;
        const encoded = line.slice(c + 2);
        if (encoded.includes('%41')) continue; // the lossy case above: A cannot become %41 again
        assert.equal(encodeEslValue(decodeEslValue(encoded)), encoded, `${f.trace}/${f.n} ${line.slice(0, c)}`);
        checked++;
      }
    }
    assert.ok(checked > 1000);
  });

  test('DTMF, record results, hangup cause', () => {
    const dtmf = parseEvent(one(fx('04', 17)));
    assert.equal(dtmf?.get('DTMF-Digit'), '#');
    const rec = parseEvent(one(fx('04', 18)));
    assert.equal(rec?.name, 'CHANNEL_EXECUTE_COMPLETE');
    assert.equal(rec?.variable('record_ms'), '5280');
    assert.equal(rec?.variable('playback_terminator_used'), '#');
    assert.equal(rec?.get('Application-UUID'), 'd1bbfa8d-7867-48b5-8aec-a6f10501a555');
    const cut = parseEvent(one(fx('02', 10)));
    assert.equal(cut?.get('Application-Response'), 'FILE PLAYED', 'a playback cut by BYE still says FILE PLAYED');
    assert.equal(cut?.variable('playback_ms'), '4096');
    assert.equal(parseEvent(one(fx('03', 11)))?.get('Hangup-Cause'), 'NORMAL_CLEARING');
  });

  test('event bodies: BACKGROUND_JOB (plain, json), CUSTOM with two content-lengths, XML', () => {
    const bg = parseEvent(one(fx('05', 24)));
    assert.equal(bg?.name, 'BACKGROUND_JOB');
    assert.equal(bg?.body, '-ERR no_such_api Command not found!\n');
    const json = parseEvent(one(fx('09', 16)));
    assert.equal(json?.get('Job-Command'), 'uuid_getvar');
    assert.equal(json?.body, '3');
    const custom = parseEvent(one(fx('08', 69, 'in2')));
    assert.equal(custom?.name, 'CUSTOM');
    assert.equal(custom?.get('X-Test-Header'), 'a b&c=d%e');
    assert.equal(custom?.body, 'hello from sendevent\n');
    const xml = parseEvent(one(fx('08', 55, 'in2')));
    assert.equal(xml?.get('Job-Command-Arg'), 'xml-format test');
    assert.equal(xml?.body, 'xml-format test');
  });

  test('a malformed event body is skipped as null, never thrown', () => {
    const frames = new EslParser().push(Buffer.from('Content-Length: 5\nContent-Type: text/event-json\n\n{bad}'));
    assert.equal(parseEvent(frames[0] as EslFrame), null);
  });
});
