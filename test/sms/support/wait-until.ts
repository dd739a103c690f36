/** Polls `cond` every 5 ms; fails with `what` when it has not become true within `ms`. */
export async function waitUntil(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
