import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { apiResponse, commandReply, disconnectNotice, lingerNotice, plainEvent, shutdownNotice, type Header } from '../../../src/sim/esl/esl-sim-frames.ts';
import { decodeEslValue } from '../../../src/telephony/freeswitch/esl-decode.ts';

/** The ESL peer writes frames byte for byte as FreeSWITCH 1.10.12 did in the traces. */
const frames: { trace: string; conn: string; n: number; raw: string }[] = JSON.parse(
  readFileSync(new URL('./fixtures/esl-trace-frames.json', import.meta.url), 'utf8'),
).frames;
const raw = (trace: string, n: number, conn = 'out1'): string => {
  const f = frames.find((x) => x.trace === trace && x.n === n && x.conn === conn);
  if (!f) throw new Error(`no fixture ${trace}/${n}`);
  return f.raw;
};

test('replies, api responses and notices match the traces byte for byte', () => {
  assert.equal(commandReply('+OK').toString(), raw('07', 3, 'out2'));
  assert.equal(commandReply('-ERR aready enabled.').toString(), raw('05', 2));
  assert.equal(apiResponse('false').toString(), raw('02', 18));
  assert.equal(disconnectNotice('83e529a7-5e4e-4fee-8f49-825e2a0138df').toString(), raw('03', 18));
  assert.equal(lingerNotice('0fc5cf30-d187-4247-8603-978ecd03e41b', 'sofia/esl/+1-555 123@127.0.0.1', -1).toString(), raw('07', 23, 'out2'));
  assert.equal(lingerNotice('38b4ac5b-5776-4f34-a49b-c077598026ee', 'sofia/esl/5551000@127.0.0.1:5170', 5).toString(), raw('02', 16));
  assert.equal(shutdownNotice().toString(), raw('08', 151, 'in2'));
  assert.equal(disconnectNotice().toString(), raw('08', 2, 'in0'));
});

test('a plain event re-encoded from its decoded headers is the trace frame, Content-Length first', () => {
  for (const [trace, n] of [['04', 17], ['04', 18], ['03', 12]] as const) {
    const text = raw(trace, n);
    const body = text.slice(text.indexOf('\n\n') + 2);
    const headers: Header[] = body
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => [l.slice(0, l.indexOf(': ')), decodeEslValue(l.slice(l.indexOf(': ') + 2))] as const);
    assert.equal(plainEvent(headers).toString(), text, `${trace}/${n}`);
  }
});
