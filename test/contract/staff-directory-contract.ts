/**
 * The staff contracts. `StaffDirectory` (what the notify use case reads) is run over every
 * implementation, the notify tests' fake included, each harness seeded its own way with the same staff.
 * `StaffRepository` (`callkeeper staff add|list|remove`, the webhook) is run over every durable store.
 *
 *   runStaffDirectoryContract('sqlite', async (seed) => ({ directory, close }));
 *   runStaffRepositoryContract('sqlite', async (now) => ({ repository, close }));
 *
 * Businesses 1 and 2 exist in every harness; no other does. Guarantees checked here:
 * - a business's staff are listed in the order they were added (id order), each field as given
 *   (on-call hours and channels included), and never another business's staff;
 * - the webhook is per business: set, replaced, cleared, absent for a business without one;
 * - a removed member keeps its id but is neither listed nor found; removing it again, or an unknown id,
 *   is INPUT.NOT_FOUND; adding staff or a webhook to an unknown business is INPUT.NOT_FOUND.
 *
 * Every call on the store is awaited (test/contract/contract-harness.ts).
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { validateNewStaff, type NewStaffMember, type StaffMember } from '../../src/domain/notify/staff-member.ts';
import type { StaffDirectory, StaffRepository, WebhookConfig } from '../../src/domain/ports/staff-directory.ts';
import { openHarness, rejectsWithCode, type AsyncPort, type HarnessFactory, type Teardown } from './contract-harness.ts';

export interface StaffSeed {
  /** Added in this order. */
  readonly staff: readonly NewStaffMember[];
  readonly webhook: WebhookConfig;
}

export interface StaffDirectoryHarness extends Teardown {
  readonly directory: AsyncPort<StaffDirectory>;
}

export interface StaffRepositoryHarness extends Teardown {
  readonly repository: AsyncPort<StaffRepository>;
}

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0);
const B1 = 1;
const B2 = 2;

export const STAFF_SEED: StaffSeed = {
  staff: [
    validateNewStaff({ businessId: B1, name: 'Dana', mobile: '+15125550142', onCall: 'Mon-Fri 08:00-18:00' }),
    validateNewStaff({ businessId: B2, name: 'Eli', email: 'eli@bolt.test' }),
    validateNewStaff({ businessId: B1, name: 'Owner', mobile: '+15125550143', email: 'owner@acme.test', channels: ['email'] }),
  ],
  webhook: { businessId: B1, url: 'https://crm.example/hook', secret: 'whsec-1' },
};

function fields(s: StaffMember): NewStaffMember {
  return { businessId: s.businessId, name: s.name, mobile: s.mobile, email: s.email, onCall: s.onCall, channels: [...s.channels] };
}

const plain = (s: NewStaffMember): NewStaffMember => ({ ...s, channels: [...s.channels] });

export function runStaffDirectoryContract(name: string, factory: HarnessFactory<StaffDirectoryHarness, [seed: StaffSeed]>): void {
  describe(`StaffDirectory contract: ${name}`, () => {
    test('a business\'s staff in the order added, every field as given, never another business\'s', async (t) => {
      const dir = (await openHarness(t, factory, STAFF_SEED)).directory;
      const b1 = await dir.staffOf(B1);
      assert.deepEqual(b1.map(fields), [STAFF_SEED.staff[0]!, STAFF_SEED.staff[2]!].map(plain));
      assert.ok(b1[0]!.id < b1[1]!.id, 'id order');
      assert.deepEqual((await dir.staffOf(B2)).map(fields), [plain(STAFF_SEED.staff[1]!)]);
      assert.deepEqual(await dir.staffOf(3), []);
    });

    test('the webhook belongs to its business only', async (t) => {
      const dir = (await openHarness(t, factory, STAFF_SEED)).directory;
      assert.deepEqual(await dir.webhookOf(B1), STAFF_SEED.webhook);
      assert.equal(await dir.webhookOf(B2), undefined);
    });
  });
}

export function runStaffRepositoryContract(name: string, factory: HarnessFactory<StaffRepositoryHarness, [now: () => number]>): void {
  describe(`StaffRepository contract: ${name}`, () => {
    async function open(t: TestContext): Promise<{ repo: AsyncPort<StaffRepository>; clock: { t: number } }> {
      const clock = { t: T0 };
      return { repo: (await openHarness(t, factory, () => clock.t)).repository, clock };
    }

    test('add returns the stored member, created at the store clock; get finds it', async (t) => {
      const { repo, clock } = await open(t);
      const a = await repo.add(STAFF_SEED.staff[0]!);
      clock.t = T0 + 5_000;
      const b = await repo.add(STAFF_SEED.staff[2]!);
      assert.deepEqual(fields(a), plain(STAFF_SEED.staff[0]!));
      assert.equal(a.createdAt, T0);
      assert.equal(b.createdAt, T0 + 5_000);
      assert.ok(a.id > 0 && b.id > a.id, `ids ${a.id}, ${b.id}`);
      assert.deepEqual(await repo.get(a.id), a);
      assert.deepEqual(await repo.get(b.id + 100), undefined);
    });

    test('list is every active member by business then id, or one business\'s; staffOf agrees', async (t) => {
      const { repo } = await open(t);
      const eli = await repo.add(STAFF_SEED.staff[1]!);
      const dana = await repo.add(STAFF_SEED.staff[0]!);
      const owner = await repo.add(STAFF_SEED.staff[2]!);
      assert.deepEqual(await repo.list(), [dana, owner, eli]);
      assert.deepEqual(await repo.list(B1), [dana, owner]);
      assert.deepEqual(await repo.staffOf(B1), [dana, owner]);
      assert.deepEqual(await repo.list(B2), [eli]);
    });

    test('a removed member is kept out of every listing; removing again or an unknown id is INPUT.NOT_FOUND', async (t) => {
      const { repo } = await open(t);
      const dana = await repo.add(STAFF_SEED.staff[0]!);
      const owner = await repo.add(STAFF_SEED.staff[2]!);
      assert.deepEqual(await repo.remove(dana.id), dana, 'remove returns the member as it was');
      assert.equal(await repo.get(dana.id), undefined);
      assert.deepEqual(await repo.list(), [owner]);
      assert.deepEqual(await repo.staffOf(B1), [owner]);
      await rejectsWithCode(() => repo.remove(dana.id), 'INPUT.NOT_FOUND', 'removed twice');
      await rejectsWithCode(() => repo.remove(owner.id + 100), 'INPUT.NOT_FOUND', 'unknown id');
      const again = await repo.add(STAFF_SEED.staff[0]!);
      assert.ok(again.id > owner.id, 'a removed member\'s id is not reused');
    });

    test('staff or a webhook for an unknown business is INPUT.NOT_FOUND, and nothing is stored', async (t) => {
      const { repo } = await open(t);
      await rejectsWithCode(() => repo.add({ ...STAFF_SEED.staff[0]!, businessId: 99 }), 'INPUT.NOT_FOUND', 'add');
      await rejectsWithCode(() => repo.setWebhook(99, { url: 'https://crm.example/x', secret: 's' }), 'INPUT.NOT_FOUND', 'setWebhook');
      assert.deepEqual(await repo.list(), []);
      assert.equal(await repo.webhookOf(99), undefined);
    });

    test('the webhook is set, replaced and cleared per business', async (t) => {
      const { repo } = await open(t);
      assert.equal(await repo.webhookOf(B1), undefined);
      await repo.setWebhook(B1, { url: 'https://crm.example/h1', secret: 's1' });
      await repo.setWebhook(B2, { url: 'https://crm.example/b2', secret: 'b2' });
      await repo.setWebhook(B1, { url: 'https://crm.example/h2', secret: 's2' });
      assert.deepEqual(await repo.webhookOf(B1), { businessId: B1, url: 'https://crm.example/h2', secret: 's2' });
      await repo.setWebhook(B1, null);
      assert.equal(await repo.webhookOf(B1), undefined);
      await repo.setWebhook(B1, null);
      assert.deepEqual(await repo.webhookOf(B2), { businessId: B2, url: 'https://crm.example/b2', secret: 'b2' });
    });
  });
}
