/**
 * The business contracts. `BusinessDirectory` (the read side every call and text goes through) is run
 * over every implementation, the in-memory fake included: each harness is seeded with the same
 * businesses its own way. `BusinessRepository` (`business add|update`) is run over every durable store.
 *
 *   runBusinessDirectoryContract('sqlite', async (seed) => ({ directory, close }));
 *   runBusinessRepositoryContract('sqlite', async (now) => ({ repository, close }));
 *
 * Guarantees checked here, beyond the port's types:
 * - every field reads back as given (defaults: no templates, no greeting, no emergency instruction);
 *   `list` is every business in id order; ids are positive and distinct;
 * - a DID finds its business whichever of its DIDs it is, and only an exact E.164 match finds it;
 *   an unknown id or DID is `undefined`, never an error;
 * - a DID belongs to one business: an add or update giving a DID owned elsewhere (or twice) is refused
 *   with INPUT.INVALID, the number only in the error's details, and nothing of it is stored;
 * - update changes only the fields given: `dids` replaces the list (a freed DID can move), `templates`
 *   merge, `null` clears a greeting; an unknown id is INPUT.NOT_FOUND.
 *
 * Every call on the store is awaited (test/contract/contract-harness.ts).
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { Business } from '../../src/domain/business.ts';
import { isAppError } from '../../src/domain/errors.ts';
import type { BusinessDirectory } from '../../src/domain/ports/business-directory.ts';
import type { BusinessRepository, NewBusiness } from '../../src/domain/ports/business-repository.ts';
import { openHarness, rejectsWithCode, type AsyncPort, type HarnessFactory, type Teardown } from './contract-harness.ts';

export interface BusinessDirectoryHarness extends Teardown {
  readonly directory: AsyncPort<BusinessDirectory>;
}

/** Builds a directory holding `seed`, added in that order. */
export type BusinessDirectoryFactory = HarnessFactory<BusinessDirectoryHarness, [seed: readonly NewBusiness[]]>;

export interface BusinessRepositoryHarness extends Teardown {
  readonly repository: AsyncPort<BusinessRepository>;
}

/** Builds an empty repository whose clock is `now`. */
export type BusinessRepositoryFactory = HarnessFactory<BusinessRepositoryHarness, [now: () => number]>;

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const SEED: readonly NewBusiness[] = [
  { name: 'Acme Plumbing', dids: ['+15125550100', '+15125550101'], timezone: 'America/Chicago', consentMode: 'verbal' },
  {
    name: 'Bolt Electric',
    dids: ['+13035550200'],
    timezone: 'America/Denver',
    consentMode: 'implied',
    templates: { received: 'Got your message, {name}.', implied: 'Reply STOP to opt out.' },
    greeting: 'Bolt Electric, leave a message.',
    emergencyInstruction: 'If you see sparks, call 911.',
  },
  { name: 'Comfort HVAC', dids: ['+15125550300'], timezone: 'America/Chicago', consentMode: 'verbal', greeting: null },
];

/** What a stored business must hold for `b`, id and creation time aside. */
function expected(b: NewBusiness): Omit<Business, 'id' | 'createdAt'> {
  return {
    name: b.name,
    dids: [...b.dids],
    timezone: b.timezone,
    consentMode: b.consentMode,
    templates: { ...(b.templates ?? {}) },
    greeting: b.greeting ?? null,
    emergencyInstruction: b.emergencyInstruction ?? null,
  };
}

function withoutIdentity(b: Business | undefined): Omit<Business, 'id' | 'createdAt'> | undefined {
  if (b === undefined) return undefined;
  const { id: _id, createdAt: _at, ...rest } = b;
  return { ...rest, dids: [...rest.dids] };
}

export function runBusinessDirectoryContract(name: string, factory: BusinessDirectoryFactory): void {
  describe(`BusinessDirectory contract: ${name}`, () => {
    async function open(t: TestContext, seed: readonly NewBusiness[] = SEED): Promise<AsyncPort<BusinessDirectory>> {
      return (await openHarness(t, factory, seed)).directory;
    }

    test('an empty directory lists nothing and finds nothing', async (t) => {
      const dir = await open(t, []);
      assert.deepEqual(await dir.list(), []);
      assert.equal(await dir.byId(1), undefined);
      assert.equal(await dir.byDid('+15125550100'), undefined);
    });

    test('list is every business in id order, each field as given; byId finds the same business', async (t) => {
      const dir = await open(t);
      const all = await dir.list();
      assert.deepEqual(all.map(withoutIdentity), SEED.map(expected));
      const ids = all.map((b) => b.id);
      assert.ok(ids.every((id) => Number.isSafeInteger(id) && id > 0), `ids ${ids.join(',')}`);
      assert.deepEqual([...ids].sort((a, b) => a - b), ids, 'id order');
      assert.equal(new Set(ids).size, ids.length);
      for (const b of all) {
        assert.match(b.createdAt, ISO);
        assert.deepEqual(await dir.byId(b.id), b);
      }
    });

    test('a DID finds its business, whichever of its DIDs; only an exact E.164 match counts', async (t) => {
      const dir = await open(t);
      const [acme, bolt] = await dir.list();
      assert.equal((await dir.byDid('+15125550100'))?.id, acme?.id);
      assert.equal((await dir.byDid('+15125550101'))?.id, acme?.id, 'the second DID');
      assert.deepEqual(await dir.byDid('+13035550200'), bolt);
      for (const did of ['+15125550199', '5125550100', '+1512555010', '+151255501000', '']) {
        assert.equal(await dir.byDid(did), undefined, `DID ${JSON.stringify(did)}`);
      }
    });

    test('an unknown id is undefined, not an error', async (t) => {
      const dir = await open(t);
      const max = Math.max(...(await dir.list()).map((b) => b.id));
      for (const id of [0, -1, max + 1]) assert.equal(await dir.byId(id), undefined, `id ${id}`);
    });

    test('what list returns is a copy: changing it does not change the directory', async (t) => {
      const dir = await open(t);
      const first = await dir.list();
      first.pop();
      assert.equal((await dir.list()).length, SEED.length);
    });
  });
}

/** INPUT.INVALID naming no phone number in its message (numbers go in details, STYLE.md). */
async function refusesDid(fn: () => unknown, did: string, what: string): Promise<void> {
  await assert.rejects(
    async () => {
      await fn();
    },
    (e: unknown) => {
      assert.ok(isAppError(e, 'INPUT.INVALID'), `${what}: expected INPUT.INVALID, got ${String(e)}`);
      assert.ok(!e.message.includes(did.slice(2)), `${what}: the number is in the message: ${e.message}`);
      return true;
    },
  );
}

export function runBusinessRepositoryContract(name: string, factory: BusinessRepositoryFactory): void {
  describe(`BusinessRepository contract: ${name}`, () => {
    async function open(t: TestContext): Promise<{ repo: AsyncPort<BusinessRepository>; clock: { t: number } }> {
      const clock = { t: T0 };
      const h = await openHarness(t, factory, () => clock.t);
      return { repo: h.repository, clock };
    }

    test('add returns the stored business: fields as given, created at the store clock, ids growing', async (t) => {
      const { repo, clock } = await open(t);
      const a = await repo.add(SEED[0]!);
      clock.t = T0 + 60_000;
      const b = await repo.add(SEED[1]!);
      assert.deepEqual(withoutIdentity(a), expected(SEED[0]!));
      assert.deepEqual(withoutIdentity(b), expected(SEED[1]!));
      assert.equal(a.createdAt, new Date(T0).toISOString());
      assert.equal(b.createdAt, new Date(T0 + 60_000).toISOString());
      assert.ok(a.id > 0 && b.id > a.id, `ids ${a.id}, ${b.id}`);
      assert.deepEqual(await repo.byId(b.id), b);
      assert.deepEqual(await repo.list(), [a, b]);
    });

    test('a DID owned by another business, or given twice, is refused with INPUT.INVALID and nothing is stored', async (t) => {
      const { repo } = await open(t);
      const acme = await repo.add(SEED[0]!);
      const taken = { name: 'Other', dids: ['+15125550400', '+15125550101'], timezone: 'America/Chicago', consentMode: 'verbal' } as const;
      await refusesDid(() => repo.add(taken), '+15125550101', 'add with a DID owned elsewhere');
      await refusesDid(() => repo.add({ ...taken, dids: ['+15125550400', '+15125550400'] }), '+15125550400', 'add with a DID twice');
      assert.deepEqual(await repo.list(), [acme]);
      assert.equal(await repo.byDid('+15125550400'), undefined, 'the refused business\'s own DID is not kept');
    });

    test('update changes only what it is given: dids replace, templates merge, null clears', async (t) => {
      const { repo, clock } = await open(t);
      const bolt = await repo.add(SEED[1]!);
      clock.t = T0 + 1_000;
      const u = await repo.update(bolt.id, { dids: ['+13035550201', '+13035550202'], templates: { callback: 'We will call you back.' }, greeting: null });
      assert.deepEqual(withoutIdentity(u), {
        ...expected(SEED[1]!),
        dids: ['+13035550201', '+13035550202'],
        templates: { ...SEED[1]!.templates, callback: 'We will call you back.' },
        greeting: null,
      });
      assert.equal(u.id, bolt.id);
      assert.equal(u.createdAt, bolt.createdAt, 'an update keeps the creation time');
      assert.deepEqual(await repo.byId(bolt.id), u);
      assert.equal(await repo.byDid('+13035550200'), undefined, 'the replaced DID is free');
      assert.equal((await repo.byDid('+13035550202'))?.id, bolt.id);
      const moved = await repo.add({ ...SEED[2]!, dids: ['+13035550200'] });
      assert.equal((await repo.byDid('+13035550200'))?.id, moved.id, 'a freed DID can belong to another business');
      const renamed = await repo.update(bolt.id, { name: 'Bolt & Sons', consentMode: 'verbal', timezone: 'America/Phoenix' });
      assert.deepEqual(renamed.dids, u.dids);
      assert.deepEqual(renamed.templates, u.templates);
      assert.deepEqual([renamed.name, renamed.consentMode, renamed.timezone], ['Bolt & Sons', 'verbal', 'America/Phoenix']);
    });

    test('an update giving a DID owned elsewhere is refused and changes nothing; an unknown id is INPUT.NOT_FOUND', async (t) => {
      const { repo } = await open(t);
      const acme = await repo.add(SEED[0]!);
      const bolt = await repo.add(SEED[1]!);
      await refusesDid(() => repo.update(bolt.id, { name: 'Renamed', dids: ['+15125550100'] }), '+15125550100', 'update with a DID owned elsewhere');
      assert.deepEqual(await repo.byId(bolt.id), bolt, 'neither the name nor the DIDs changed');
      assert.deepEqual(await repo.byId(acme.id), acme);
      await rejectsWithCode(() => repo.update(bolt.id + 100, { name: 'Ghost' }), 'INPUT.NOT_FOUND');
      assert.equal((await repo.list()).length, 2);
    });
  });
}
