import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { writeChunks } from '../../src/cli/consent-export-actions.ts';
import { waitFor } from '../support/wait-for.ts';

test('writeChunks stops pulling rows while the destination is not draining, then finishes in order', async () => {
  const pending: (() => void)[] = [];
  let received = '';
  // A destination that accepts one write and then holds every callback until released: a slow pipe.
  const slow = new Writable({
    highWaterMark: 1024,
    write(chunk, _enc, cb) {
      received += String(chunk);
      pending.push(cb);
    },
  });
  let pulled = 0;
  const total = 20_000;
  function* rows(): Generator<string> {
    for (let i = 0; i < total; i++) {
      pulled++;
      yield `${String(i).padStart(99, '0')}\n`;
    }
  }
  const done = writeChunks(rows(), slow);
  await new Promise((r) => setImmediate(r));
  // One 64 KiB batch is ~656 rows of 100 characters; without backpressure all 20,000 would be pulled.
  assert.ok(pulled < 1000, `pulled ${pulled} rows while the writer was blocked`);
  let finished = false;
  void done.then(() => (finished = true));
  // Each poll releases the writes the slow stream is holding, until the export finishes.
  await waitFor(() => {
    pending.splice(0).forEach((cb) => cb());
    return finished;
  }, { what: 'the export to finish once the writer drains' });
  assert.equal(pulled, total);
  const lines = received.split('\n');
  assert.equal(lines.length, total + 1);
  assert.equal(lines[12_345], String(12_345).padStart(99, '0'));
});
