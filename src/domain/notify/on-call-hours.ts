import { AppError } from '../errors.ts';

/**
 * A staff member's on-call hours in the business's time zone, written the way an owner says
 * them: `Mon-Fri 08:00-18:00; Sat 09:00-12:00`, `daily 18:00-08:00` (overnight: the window belongs to
 * the day it starts), `Sat,Sun 00:00-24:00`, or `always` / `24/7`. Segments are separated by `;`.
 */
export interface OnCallWindow {
  /** 0 = Sunday … 6 = Saturday, the day the window starts. */
  readonly days: readonly number[];
  /** Minutes since local midnight; `end` may be ≤ `start` for an overnight window, 1440 for midnight. */
  readonly start: number;
  readonly end: number;
}

export interface OnCallHours {
  /** The normalized text, for display and storage next to the parsed form. */
  readonly spec: string;
  readonly windows: readonly OnCallWindow[];
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];

function dayIndex(s: string): number {
  const i = DAY_NAMES.indexOf(s.slice(0, 3).toLowerCase() as (typeof DAY_NAMES)[number]);
  if (i < 0 || s.length < 3) throw new Error(`unknown day "${s}"`);
  return i;
}

function parseDays(s: string): number[] {
  const t = s.trim().toLowerCase();
  if (t === '' || t === 'daily' || t === 'every day' || t === 'everyday') return ALL_DAYS;
  if (t === 'weekdays') return [1, 2, 3, 4, 5];
  if (t === 'weekends') return [0, 6];
  const days = new Set<number>();
  for (const part of t.split(',')) {
    const [a, b] = part.split('-').map((x) => x.trim());
    if (!a) throw new Error(`bad days "${s}"`);
    if (b === undefined) {
      days.add(dayIndex(a));
      continue;
    }
    // Ranges wrap around the week: Fri-Mon is Fri, Sat, Sun, Mon.
    for (let d = dayIndex(a), n = 0; n < 7; d = (d + 1) % 7, n++) {
      days.add(d);
      if (d === dayIndex(b)) break;
    }
  }
  return [...days].sort((x, y) => x - y);
}

function parseTime(s: string, allow24: boolean): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (!m) throw new Error(`bad time "${s}" (use HH:MM)`);
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && (min !== 0 || !allow24))) throw new Error(`bad time "${s}"`);
  return h * 60 + min;
}

/** Parses on-call hours; throws AppError INPUT.INVALID naming the bad part. */
export function parseOnCallHours(spec: string): OnCallHours {
  const text = spec.trim();
  if (/^(always|24\/7|any ?time)$/i.test(text)) return { spec: 'always', windows: [{ days: ALL_DAYS, start: 0, end: 1440 }] };
  const windows: OnCallWindow[] = [];
  try {
    for (const seg of text.split(';').map((x) => x.trim()).filter((x) => x !== '')) {
      const m = /^(.*?)\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(seg);
      if (!m) throw new Error(`"${seg}" is not "Days HH:MM-HH:MM"`);
      const start = parseTime(m[2]!, false);
      const end = parseTime(m[3]!, true);
      if (start === end) throw new Error(`"${seg}" is an empty window`);
      windows.push({ days: parseDays(m[1]!), start, end });
    }
    if (windows.length === 0) throw new Error('no window given');
  } catch (e) {
    throw new AppError('INPUT.INVALID', `invalid on-call hours "${spec}": ${(e as Error).message} (e.g. "Mon-Fri 08:00-18:00; Sat 09:00-12:00" or "always")`);
  }
  return { spec: text.replace(/\s+/g, ' '), windows };
}

/** Local weekday (0 = Sunday) and minutes since midnight at `at` in `timezone`. */
export function localDayAndMinutes(at: number, timezone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(
    new Date(at),
  );
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return { day: dayIndex(get('weekday')), minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** Whether someone with these hours is on call at `at`; `null` hours mean always. */
export function isOnCall(hours: OnCallHours | null, at: number, timezone: string): boolean {
  if (hours === null) return true;
  const { day, minutes } = localDayAndMinutes(at, timezone);
  const yesterday = (day + 6) % 7;
  return hours.windows.some((w) => {
    if (w.start < w.end) return w.days.includes(day) && minutes >= w.start && minutes < w.end;
    return (w.days.includes(day) && minutes >= w.start) || (w.days.includes(yesterday) && minutes < w.end);
  });
}
