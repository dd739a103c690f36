import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runDoctor } from '../../../src/app/doctor/run-doctor.ts';
import type { DoctorCheck } from '../../../src/app/doctor/doctor-check.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';

const ok = (name: string, detail = 'fine'): DoctorCheck => ({ name, run: () => ({ status: 'ok', detail }) });

describe('runDoctor', () => {
  test('keeps the given order, and warnings do not fail the run', async () => {
    const clock = new ManualClock();
    const report = await runDoctor(
      [
        ok('config'),
        { name: 'engine', run: async () => ({ status: 'warn', detail: 'app not registered' }) },
        ok('smpp', 'bound'),
      ],
      { clock },
    );
    assert.equal(report.ok, true);
    assert.deepEqual(report.results, [
      { name: 'config', status: 'ok', detail: 'fine' },
      { name: 'engine', status: 'warn', detail: 'app not registered' },
      { name: 'smpp', status: 'ok', detail: 'bound' },
    ]);
    assert.equal(clock.pending(), 0, 'every deadline is cancelled once its check answered');
  });

  test('a check that throws (sync or async) is one failed row with the first line of its message', async () => {
    const clock = new ManualClock();
    const report = await runDoctor(
      [
        {
          name: 'config',
          run: () => {
            throw new AppError('CONFIG.INVALID', 'invalid configuration:\n  smpp.port: too big');
          },
        },
        { name: 'database', run: async () => Promise.reject(new Error('disk on fire')) },
        ok('speech'),
      ],
      { clock },
    );
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.results.map((r) => [r.name, r.status, r.detail]),
      [
        ['config', 'fail', 'invalid configuration:'],
        ['database', 'fail', 'disk on fire'],
        ['speech', 'ok', 'fine'],
      ],
    );
  });

  test('a check that never answers fails at its deadline, is told to stop, and the others still report', async () => {
    const clock = new ManualClock();
    let aborted: AbortSignal | undefined;
    const hanging: DoctorCheck = {
      name: 'smpp',
      run: (signal) => {
        aborted = signal;
        return new Promise(() => undefined);
      },
    };
    const slowButAllowed: DoctorCheck = { name: 'database', timeoutMs: 60_000, run: () => new Promise(() => undefined) };
    const done = runDoctor([ok('config'), hanging, slowButAllowed], { clock }, { timeoutMs: 2_000 });
    clock.advance(1_999);
    assert.equal(aborted?.aborted, false);
    clock.advance(1);
    assert.equal(aborted?.aborted, true);
    clock.advance(58_000);
    const report = await done;
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.results.map((r) => [r.name, r.status, r.detail]),
      [
        ['config', 'ok', 'fine'],
        ['smpp', 'fail', 'no answer within 2 s; gave up'],
        ['database', 'fail', 'no answer within 60 s; gave up'],
      ],
    );
  });

  test('an answer after the deadline does not replace the timeout row', async () => {
    const clock = new ManualClock();
    let answer: (v: { status: 'ok'; detail: string }) => void = () => undefined;
    const late: DoctorCheck = { name: 'engine', run: () => new Promise((r) => (answer = r)) };
    const done = runDoctor([late], { clock }, { timeoutMs: 1_500 });
    clock.advance(1_500);
    answer({ status: 'ok', detail: 'too late' });
    const report = await done;
    assert.deepEqual(report.results, [{ name: 'engine', status: 'fail', detail: 'no answer within 1.5 s; gave up' }]);
  });
});
