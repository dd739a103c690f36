import type { NewStaffMember, StaffMember } from '../notify/staff-member.ts';

/** Where the business's webhook is and the key it is signed with. */
export interface WebhookConfig {
  readonly businessId: number;
  readonly url: string;
  readonly secret: string;
}

/** Read side, used by the notify use case and the channels. Removed staff are not listed. */
export interface StaffDirectory {
  staffOf(businessId: number): StaffMember[];
  webhookOf(businessId: number): WebhookConfig | undefined;
}

/** Admin side (`callkeeper staff add|list|remove`). */
export interface StaffRepository extends StaffDirectory {
  add(s: NewStaffMember): StaffMember;
  get(id: number): StaffMember | undefined;
  /** Every active staff member, optionally of one business, by business then id. */
  list(businessId?: number): StaffMember[];
  /** Marks removed (delivery records keep pointing at the row); throws INPUT.NOT_FOUND for an unknown or removed id. */
  remove(id: number): StaffMember;
  /** Sets or (with null) clears the business's webhook. */
  setWebhook(businessId: number, cfg: { url: string; secret: string } | null): void;
}
