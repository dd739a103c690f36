import { AppError } from '../errors.ts';
import { toE164 } from '../phone-number.ts';
import { parseOnCallHours, type OnCallHours } from './on-call-hours.ts';

/** A person at the business who hears about missed calls. */
export const STAFF_CHANNELS = ['sms', 'email'] as const;
export type StaffChannel = (typeof STAFF_CHANNELS)[number];

export interface StaffMember {
  readonly id: number;
  readonly businessId: number;
  readonly name: string;
  /** E.164, or null. */
  readonly mobile: string | null;
  readonly email: string | null;
  /** Null: on call at all hours. */
  readonly onCall: OnCallHours | null;
  /** The channels this person agreed to be reached on; only those with an address are used. */
  readonly channels: readonly StaffChannel[];
  readonly createdAt: number;
}

export interface NewStaffMember {
  readonly businessId: number;
  readonly name: string;
  readonly mobile: string | null;
  readonly email: string | null;
  readonly onCall: OnCallHours | null;
  readonly channels: readonly StaffChannel[];
}

/** A deliberately plain check: one @, no spaces, a dot in the domain. The SMTP server has the last word. */
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Validates admin input for a new staff member; throws INPUT.INVALID listing every problem. The channels
 * default to those the person has an address for.
 */
export function validateNewStaff(input: {
  businessId: number;
  name: string;
  mobile?: string | null | undefined;
  email?: string | null | undefined;
  onCall?: string | null | undefined;
  channels?: readonly string[] | undefined;
}): NewStaffMember {
  const problems: string[] = [];
  const name = input.name.trim();
  if (name.length < 1 || name.length > 120) problems.push('name must be 1 to 120 characters');
  let mobile: string | null = null;
  if (input.mobile != null && input.mobile.trim() !== '') {
    mobile = toE164(input.mobile.trim());
    if (mobile === null) problems.push('mobile is not a valid phone number (E.164, e.g. +15125550100)');
  }
  const email = input.email != null && input.email.trim() !== '' ? input.email.trim() : null;
  if (email !== null && !EMAIL_RE.test(email)) problems.push('email is not a valid address');
  if (mobile === null && email === null && problems.length === 0) problems.push('give a mobile number or an e-mail address (or both)');
  let onCall: OnCallHours | null = null;
  if (input.onCall != null && input.onCall.trim() !== '') {
    try {
      onCall = parseOnCallHours(input.onCall);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  let channels: StaffChannel[] = [];
  if (input.channels && input.channels.length > 0) {
    for (const c of input.channels) {
      if ((STAFF_CHANNELS as readonly string[]).includes(c)) channels.push(c as StaffChannel);
      else problems.push(`unknown channel "${c}" (sms, email)`);
    }
    if (channels.includes('sms') && mobile === null && !(input.mobile ?? '').trim()) problems.push('channel sms needs a mobile number');
    if (channels.includes('email') && email === null) problems.push('channel email needs an e-mail address');
  } else {
    if (mobile !== null) channels.push('sms');
    if (email !== null) channels.push('email');
  }
  channels = [...new Set(channels)];
  if (problems.length > 0) throw new AppError('INPUT.INVALID', `invalid staff member: ${problems.join('; ')}`, { details: { problems } });
  return { businessId: input.businessId, name, mobile, email, onCall, channels };
}
