/** How the console shows a time: UTC, to the second, readable (`2026-12-06 20:50:01 UTC`). */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A query-string value as a trimmed string, or undefined when empty or absent. */
export function queryText(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}
