import { isOnCall } from './on-call-hours.ts';
import type { StaffMember } from './staff-member.ts';

/**
 * Who is told about a call, on which channel. Pure; the use case records the plan. What a small
 * business expects of it (webhook always, e-mail at any hour, texts to whoever is on call, urgent calls
 * everywhere at once): src/domain/notify/README.md.
 */
export type ChannelKind = 'sms' | 'email' | 'webhook';

export interface DeliveryTarget {
  readonly channel: ChannelKind;
  /** Null for the business-level webhook. */
  readonly staffId: number | null;
  readonly name: string | null;
  /** Mobile (E.164), e-mail address or webhook URL. */
  readonly address: string;
}

export type SkipReason = 'off-call' | 'channel-unavailable';

export interface PlanInput {
  readonly staff: readonly StaffMember[];
  readonly webhookUrl: string | null;
  readonly urgent: boolean;
  readonly kind: 'call' | 'reply' | 'test';
  readonly at: number;
  readonly timezone: string;
  /** The channels this process can use (e.g. no SMTP configured: no e-mail). */
  readonly available: readonly ChannelKind[];
}

export interface DeliveryPlan {
  readonly targets: readonly DeliveryTarget[];
  readonly skipped: readonly (DeliveryTarget & { readonly reason: SkipReason })[];
  /** True when an urgent call found nobody on call and texted every SMS staff member. */
  readonly escalatedToAll: boolean;
}

export function planDeliveries(p: PlanInput): DeliveryPlan {
  const targets: DeliveryTarget[] = [];
  const skipped: (DeliveryTarget & { reason: SkipReason })[] = [];
  const add = (t: DeliveryTarget): void => {
    if (p.available.includes(t.channel)) targets.push(t);
    else skipped.push({ ...t, reason: 'channel-unavailable' });
  };
  if (p.webhookUrl !== null) add({ channel: 'webhook', staffId: null, name: null, address: p.webhookUrl });
  for (const s of p.staff) {
    if (s.email !== null && s.channels.includes('email')) add({ channel: 'email', staffId: s.id, name: s.name, address: s.email });
  }
  const smsStaff = p.staff.filter((s) => s.mobile !== null && s.channels.includes('sms'));
  const onCall = new Set(smsStaff.filter((s) => isOnCall(s.onCall, p.at, p.timezone)).map((s) => s.id));
  const escalatedToAll = p.kind === 'call' && p.urgent && onCall.size === 0 && smsStaff.length > 0;
  for (const s of smsStaff) {
    const t: DeliveryTarget = { channel: 'sms', staffId: s.id, name: s.name, address: s.mobile! };
    if (p.kind === 'test' || onCall.has(s.id) || escalatedToAll) add(t);
    else skipped.push({ ...t, reason: 'off-call' });
  }
  return { targets, skipped, escalatedToAll };
}
