import type { OnCallHours } from '../domain/notify/on-call-hours.ts';
import type { NewStaffMember, StaffChannel, StaffMember } from '../domain/notify/staff-member.ts';

/**
 * What SqliteStaffStore and PgStaffStore (postgres/pg-staff-store.ts) share: the `staff` row, the
 * columns they read, its mapping to a StaffMember and an insert's values. Each keeps its own SQL.
 */
export interface StaffRow {
  id: number;
  business_id: number;
  name: string;
  mobile: string | null;
  email: string | null;
  on_call_json: string | null;
  channels: string;
  created_at: number;
}

export const STAFF_COLS = 'id, business_id, name, mobile, email, on_call_json, channels, created_at';

export function toStaff(r: StaffRow): StaffMember {
  return {
    id: r.id,
    businessId: r.business_id,
    name: r.name,
    mobile: r.mobile,
    email: r.email,
    onCall: r.on_call_json === null ? null : (JSON.parse(r.on_call_json) as OnCallHours),
    channels: JSON.parse(r.channels) as StaffChannel[],
    createdAt: r.created_at,
  };
}

/** The values of `INSERT INTO staff (business_id, name, mobile, email, on_call_json, channels, created_at)`. */
export function staffInsertValues(s: NewStaffMember, now: number): unknown[] {
  return [s.businessId, s.name, s.mobile, s.email, s.onCall === null ? null : JSON.stringify(s.onCall), JSON.stringify(s.channels), now];
}
