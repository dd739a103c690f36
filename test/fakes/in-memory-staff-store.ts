import { AppError } from '../../src/domain/errors.ts';
import type { NewStaffMember, StaffMember } from '../../src/domain/notify/staff-member.ts';
import type { BusinessDirectory } from '../../src/domain/ports/business-directory.ts';
import type { StaffRepository, WebhookConfig } from '../../src/domain/ports/staff-directory.ts';

interface StaffEntry {
  readonly member: StaffMember;
  removedAt: number | null;
}

/** A copy a caller may keep, as a store reads a fresh row per call. */
function copyOf(s: StaffMember): StaffMember {
  return { ...s, onCall: s.onCall === null ? null : structuredClone(s.onCall), channels: [...s.channels] };
}

/**
 * An in-memory `StaffRepository` (and so `StaffDirectory`): staff and webhooks of the businesses in
 * `businesses`. As the durable stores (test/contract/staff-directory-contract.ts): a business the
 * directory does not hold is INPUT.NOT_FOUND (their foreign key), a removed member keeps its id and its
 * row but is neither listed nor found, and ids are never reused.
 */
export class InMemoryStaffStore implements StaffRepository {
  readonly #staff: StaffEntry[] = [];
  readonly #webhooks = new Map<number, WebhookConfig>();
  readonly #businesses: BusinessDirectory;
  readonly #now: () => number;

  constructor(opts: { readonly businesses: BusinessDirectory; readonly now?: () => number }) {
    this.#businesses = opts.businesses;
    this.#now = opts.now ?? Date.now;
  }

  add(s: NewStaffMember): StaffMember {
    this.#requireBusiness(s.businessId);
    const member = copyOf({ ...s, id: this.#staff.length + 1, createdAt: this.#now() });
    this.#staff.push({ member, removedAt: null });
    return copyOf(member);
  }

  get(id: number): StaffMember | undefined {
    const e = this.#active().find((x) => x.member.id === id);
    return e && copyOf(e.member);
  }

  list(businessId?: number): StaffMember[] {
    return this.#active()
      .filter((e) => businessId === undefined || e.member.businessId === businessId)
      .map((e) => copyOf(e.member))
      .sort((a, b) => a.businessId - b.businessId || a.id - b.id);
  }

  staffOf(businessId: number): StaffMember[] {
    return this.list(businessId);
  }

  remove(id: number): StaffMember {
    const e = this.#active().find((x) => x.member.id === id);
    if (e === undefined) throw new AppError('INPUT.NOT_FOUND', `no staff member with id ${id}`);
    e.removedAt = this.#now();
    return copyOf(e.member);
  }

  webhookOf(businessId: number): WebhookConfig | undefined {
    const w = this.#webhooks.get(businessId);
    return w && { ...w };
  }

  setWebhook(businessId: number, cfg: { url: string; secret: string } | null): void {
    // Clearing refuses nothing (a DELETE matching no row); setting needs the business (the foreign key).
    if (cfg === null) {
      this.#webhooks.delete(businessId);
      return;
    }
    this.#requireBusiness(businessId);
    this.#webhooks.set(businessId, { businessId, url: cfg.url, secret: cfg.secret });
  }

  #active(): StaffEntry[] {
    return this.#staff.filter((e) => e.removedAt === null);
  }

  #requireBusiness(businessId: number): void {
    if (this.#businesses.byId(businessId) === undefined) throw new AppError('INPUT.NOT_FOUND', `no business with id ${businessId}`);
  }
}
