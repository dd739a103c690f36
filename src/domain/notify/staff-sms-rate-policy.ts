/**
 * Staff texts have their own rate limit: a flood of calls (a storm, a robocaller) must not
 * flood a technician's phone. E-mail and webhook are not limited: they do not buzz a pocket, and they
 * keep the full record. Urgent calls get a higher ceiling, not a free pass: a flood of "gas leak" calls
 * is still a flood, but a real cluster of emergencies (a freeze) must still get through.
 */
export interface StaffSmsRateLimit {
  readonly windowMs: number;
  readonly maxPerWindow: number;
  readonly urgentMaxPerWindow: number;
}

export const DEFAULT_STAFF_SMS_RATE_LIMIT: StaffSmsRateLimit = { windowMs: 15 * 60_000, maxPerWindow: 5, urgentMaxPerWindow: 20 };

export type StaffSmsDecision = { readonly allow: true } | { readonly allow: false; readonly reason: string };

/** `sentInWindow`: staff texts to this person opened in the last `windowMs`, urgent or not. */
export function decideStaffSms(sentInWindow: number, urgent: boolean, limit: StaffSmsRateLimit): StaffSmsDecision {
  const max = urgent ? limit.urgentMaxPerWindow : limit.maxPerWindow;
  if (sentInWindow < max) return { allow: true };
  return { allow: false, reason: `rate limit: ${sentInWindow} staff texts in the last ${Math.round(limit.windowMs / 60_000)} min (max ${max}${urgent ? ' urgent' : ''})` };
}
