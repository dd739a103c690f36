import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { purgeRecordings } from '../../../src/app/retention/purge-recordings.ts';
import type { AsyncRecordingRetentionStore } from '../../../src/domain/ports/async-stores.ts';
import type { ExpiredCallRecordings } from '../../../src/domain/ports/recording-retention-store.ts';
import type { RecordingRemover, RemoveResult } from '../../../src/domain/ports/recording-remover.ts';
import type { Logger } from '../../../src/domain/ports/logger.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1);

/** In-memory store behind the async port (as the use case sees every store): calls with paths; records what it was asked. */
class FakeRetentionStore implements AsyncRecordingRetentionStore {
  readonly marked = new Map<number, number>();
  readonly pages: { afterCallId: number; limit: number }[] = [];
  constructor(private readonly calls: ExpiredCallRecordings[]) {}
  async listExpired(before: number, page: { afterCallId: number; limit: number }): Promise<ExpiredCallRecordings[]> {
    this.pages.push(page);
    return this.calls
      .filter((c) => c.startedAt < before && !this.marked.has(c.callId) && c.callId > page.afterCallId)
      .sort((a, b) => a.callId - b.callId)
      .slice(0, page.limit);
  }
  async markDeleted(callId: number, at: number): Promise<void> {
    if (!this.marked.has(callId)) this.marked.set(callId, at);
  }
}

/** Remover with knobs: files present, paths refused, paths that throw. */
class FakeRemover implements RecordingRemover {
  readonly removed: string[] = [];
  constructor(
    readonly files: Set<string>,
    readonly knobs: { refuse?: Set<string>; fail?: Set<string> } = {},
  ) {}
  async inspect(path: string): Promise<'present' | 'missing' | 'refused'> {
    if (this.knobs.refuse?.has(path)) return 'refused';
    return this.files.has(path) ? 'present' : 'missing';
  }
  async remove(path: string): Promise<RemoveResult> {
    if (this.knobs.refuse?.has(path)) return 'refused';
    if (this.knobs.fail?.has(path)) throw new Error('EACCES: permission denied');
    if (!this.files.delete(path)) return 'missing';
    this.removed.push(path);
    return 'removed';
  }
}

function recordingLogger(): Logger & { lines: { level: string; fields: Record<string, unknown>; msg: string }[] } {
  const lines: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
  const mk = (): Logger => ({
    debug: (fields, msg) => lines.push({ level: 'debug', fields, msg }),
    info: (fields, msg) => lines.push({ level: 'info', fields, msg }),
    warn: (fields, msg) => lines.push({ level: 'warn', fields, msg }),
    error: (fields, msg) => lines.push({ level: 'error', fields, msg }),
    child: () => mk(),
  });
  return Object.assign(mk(), { lines });
}

const call = (callId: number, ageDays: number, ...paths: string[]): ExpiredCallRecordings => ({ callId, startedAt: NOW - ageDays * DAY, paths });

describe('purgeRecordings', () => {
  test('deletes the files of calls older than the retention and stamps those calls; younger calls stay', async () => {
    const store = new FakeRetentionStore([call(1, 100, 'r/1.wav', 'r/1-answer.wav'), call(2, 91, 'r/2.wav'), call(3, 89, 'r/3.wav')]);
    const remover = new FakeRemover(new Set(['r/1.wav', 'r/1-answer.wav', 'r/2.wav', 'r/3.wav']));
    const report = await purgeRecordings({ store, remover, now: () => NOW, logger: recordingLogger() }, { retentionDays: 90, dryRun: false });
    assert.equal(report.cutoff, NOW - 90 * DAY);
    assert.deepEqual(remover.removed, ['r/1.wav', 'r/1-answer.wav', 'r/2.wav']);
    assert.deepEqual([...remover.files], ['r/3.wav']);
    assert.deepEqual([...store.marked.entries()], [
      [1, NOW],
      [2, NOW],
    ]);
    assert.equal(report.callsPurged, 2);
    assert.equal(report.counts.deleted, 3);
  });

  test('dry run deletes and stamps nothing, and lists what would go', async () => {
    const store = new FakeRetentionStore([call(1, 100, 'r/1.wav'), call(2, 100, 'r/gone.wav')]);
    const remover = new FakeRemover(new Set(['r/1.wav']));
    const report = await purgeRecordings({ store, remover, now: () => NOW, logger: recordingLogger() }, { retentionDays: 30, dryRun: true });
    assert.equal(store.marked.size, 0);
    assert.deepEqual([...remover.files], ['r/1.wav']);
    assert.deepEqual(
      report.items.map((i) => [i.callId, i.path, i.status]),
      [
        [1, 'r/1.wav', 'would-delete'],
        [2, 'r/gone.wav', 'already-gone'],
      ],
    );
    assert.equal(report.dryRun, true);
    assert.equal(report.callsPurged, 2);
  });

  test('a file already gone counts as done; a refused or failing file leaves its call unstamped for the next run', async () => {
    const store = new FakeRetentionStore([call(1, 100, 'r/missing.wav'), call(2, 100, '/etc/passwd'), call(3, 100, 'r/3.wav', 'r/locked.wav'), call(4, 100, 'r/4.wav')]);
    const remover = new FakeRemover(new Set(['r/3.wav', 'r/locked.wav', 'r/4.wav', '/etc/passwd']), {
      refuse: new Set(['/etc/passwd']),
      fail: new Set(['r/locked.wav']),
    });
    const logger = recordingLogger();
    const report = await purgeRecordings({ store, remover, now: () => NOW, logger }, { retentionDays: 90, dryRun: false });
    assert.deepEqual([...store.marked.keys()], [1, 4]);
    assert.deepEqual(report.counts, { deleted: 2, 'would-delete': 0, 'already-gone': 1, refused: 1, failed: 1, elsewhere: 0 });
    assert.equal(report.items.find((i) => i.path === 'r/locked.wav')?.error, 'EACCES: permission denied');
    assert.ok(logger.lines.some((l) => l.level === 'warn' && l.msg === 'recording retention purge finished'));
    // No path (which may name a caller) is put in a message string.
    for (const l of logger.lines) assert.ok(!l.msg.includes('r/'), l.msg);
  });

  test('pages through the store by call id, so unstamped failures are not listed again in the same run', async () => {
    const calls = Array.from({ length: 7 }, (_, i) => call(i + 1, 200, `r/${i + 1}.wav`));
    const store = new FakeRetentionStore(calls);
    const remover = new FakeRemover(new Set(calls.flatMap((c) => c.paths)), { fail: new Set(['r/2.wav', 'r/3.wav', 'r/4.wav']) });
    const report = await purgeRecordings({ store, remover, now: () => NOW, logger: recordingLogger() }, { retentionDays: 90, dryRun: false, pageSize: 3 });
    assert.deepEqual(
      store.pages.map((p) => p.afterCallId),
      [0, 3, 6],
    );
    assert.equal(report.items.length, 7);
    assert.deepEqual([...store.marked.keys()], [1, 5, 6, 7]);
  });

  test('rejects a retention that is not a positive whole number of days', async () => {
    const deps = { store: new FakeRetentionStore([]), remover: new FakeRemover(new Set()), now: () => NOW, logger: recordingLogger() };
    await assert.rejects(purgeRecordings(deps, { retentionDays: 0, dryRun: true }), RangeError);
    await assert.rejects(purgeRecordings(deps, { retentionDays: 1.5, dryRun: true }), RangeError);
  });

  test("another node's call: a file not here (missing or outside the directories) is left to that node, unstamped and not an error", async () => {
    const other = (callId: number, ...paths: string[]): ExpiredCallRecordings => ({ ...call(callId, 100, ...paths), elsewhere: true });
    // 1 and 2: the other node's files are on its own disk; 3: a renamed node on this host, its file is here.
    const store = new FakeRetentionStore([other(1, 'r/1.wav'), other(2, '/elsewhere/2.wav'), other(3, 'r/3.wav'), call(4, 100, 'r/4.wav')]);
    const remover = new FakeRemover(new Set(['r/3.wav', 'r/4.wav']), { refuse: new Set(['/elsewhere/2.wav']) });
    const logger = recordingLogger();
    const dry = await purgeRecordings({ store, remover, now: () => NOW, logger }, { retentionDays: 90, dryRun: true });
    assert.deepEqual(dry.items.map((i) => [i.callId, i.status]), [[1, 'elsewhere'], [2, 'elsewhere'], [3, 'would-delete'], [4, 'would-delete']]);
    assert.equal(dry.callsPurged, 2);
    const report = await purgeRecordings({ store, remover, now: () => NOW, logger }, { retentionDays: 90, dryRun: false });
    assert.deepEqual(report.counts, { deleted: 2, 'would-delete': 0, 'already-gone': 0, refused: 0, failed: 0, elsewhere: 2 });
    assert.deepEqual([...store.marked.keys()], [3, 4], "only calls whose files are gone are stamped; the other node's stay for its purge");
    assert.deepEqual(remover.removed, ['r/3.wav', 'r/4.wav']);
    assert.equal(logger.lines.filter((l) => l.level === 'warn' && l.msg.includes('outside the recordings directories')).length, 0);
  });
});
