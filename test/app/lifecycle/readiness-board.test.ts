import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadinessBoard } from '../../../src/app/lifecycle/readiness-board.ts';

test('ReadinessBoard: declared dependencies start down; ready only when all are up; an empty board is not ready', () => {
  const b = new ReadinessBoard();
  assert.equal(b.ready(), false);
  b.declare('ari', 'smpp', 'store');
  assert.deepEqual(b.snapshot(), { ari: false, smpp: false, store: false });
  b.set('store', true);
  b.set('ari', true);
  assert.equal(b.ready(), false);
  b.set('smpp', true);
  assert.equal(b.ready(), true);
  b.declare('smpp'); // re-declaring keeps the reported state
  assert.equal(b.ready(), true);
  b.set('smpp', false);
  assert.deepEqual(b.snapshot(), { ari: true, smpp: false, store: true });
  assert.equal(b.ready(), false);
});
