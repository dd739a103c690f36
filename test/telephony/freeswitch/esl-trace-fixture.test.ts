/**
 * The ESL frame fixture (fixtures/esl-trace-frames.json) is what the parser and simulator tests trust
 * as "FreeSWITCH's bytes". This keeps it honest: every frame in it is the `raw` of the same frame
 * (trace, connection, index) in the captured traces under test/fixtures/freeswitch/traces.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

interface FixtureFrame {
  trace: string;
  conn: string;
  n: number;
  content_type: string | null;
  event_name: string | null;
  raw: string;
}
interface TraceRecord {
  type: string;
  conn?: string;
  n?: number;
  content_type?: string | null;
  event_name?: string | null;
  raw?: string;
}

const TRACES = new URL('../../fixtures/freeswitch/traces/', import.meta.url);
const fixture = JSON.parse(readFileSync(new URL('./fixtures/esl-trace-frames.json', import.meta.url), 'utf8')) as { source: string; frames: FixtureFrame[] };

function traceFrames(trace: string): TraceRecord[] {
  const file = readdirSync(TRACES).find((f) => f.startsWith(`${trace}_`) && f.endsWith('.jsonl'));
  assert.ok(file, `a trace file ${trace}_*.jsonl in test/fixtures/freeswitch/traces`);
  return readFileSync(new URL(file, TRACES), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TraceRecord)
    .filter((r) => r.type === 'frame');
}

test('every fixture frame is byte for byte the frame of the captured trace it names', () => {
  assert.match(fixture.source, /^test\/fixtures\/freeswitch\/traces /);
  assert.ok(fixture.frames.length > 0);
  const byTrace = new Map<string, TraceRecord[]>();
  for (const f of fixture.frames) {
    if (!byTrace.has(f.trace)) byTrace.set(f.trace, traceFrames(f.trace));
    const captured = byTrace.get(f.trace)!.find((r) => r.conn === f.conn && r.n === f.n);
    assert.ok(captured, `trace ${f.trace} has frame ${f.conn}/${f.n}`);
    assert.equal(f.raw, captured.raw, `${f.trace} ${f.conn}/${f.n} raw`);
    assert.equal(f.content_type, captured.content_type ?? null, `${f.trace} ${f.conn}/${f.n} content_type`);
    assert.equal(f.event_name, captured.event_name ?? null, `${f.trace} ${f.conn}/${f.n} event_name`);
  }
});
