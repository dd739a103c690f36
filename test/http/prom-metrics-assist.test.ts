import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PromMetrics } from '../../src/http/prom-metrics.ts';

test('/metrics counts assist calls by use and outcome, and intake fields rejected by the transcript check', async () => {
  const m = new PromMetrics({ processMetrics: false });
  const before = await m.registry.metrics();
  assert.match(before, /^callkeeper_assist_calls_total\{use="intake",outcome="timeout"\} 0$/m, 'series exist before the first call');
  m.assistCall('intake', 'ok');
  m.assistCall('intake', 'timeout');
  m.assistCall('reply', 'failed');
  m.assistCall('reply', 'circuit-open');
  m.assistFieldRejected('serviceAddress');
  m.assistFieldRejected('serviceAddress');
  const text = await m.registry.metrics();
  assert.match(text, /^callkeeper_assist_calls_total\{use="intake",outcome="ok"\} 1$/m);
  assert.match(text, /^callkeeper_assist_calls_total\{use="intake",outcome="timeout"\} 1$/m);
  assert.match(text, /^callkeeper_assist_calls_total\{use="reply",outcome="failed"\} 1$/m);
  assert.match(text, /^callkeeper_assist_calls_total\{use="reply",outcome="circuit-open"\} 1$/m);
  assert.match(text, /^callkeeper_assist_fields_rejected_total\{field="serviceAddress"\} 2$/m);
});
