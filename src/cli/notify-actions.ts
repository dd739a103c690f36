import { randomBytes } from 'node:crypto';
import type { DeliveryReport } from '../app/notify/notify-staff.ts';
import { createSystemClock } from '../app/system-clock.ts';
import { AppError } from '../domain/errors.ts';
import type { Logger } from '../domain/ports/logger.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStores } from './cli-store.ts';
import { createNotifyWiring } from '../compose/notify-wiring.ts';

function parseId(s: string, what: string): number {
  if (!/^\d+$/.test(s.trim())) throw new AppError('INPUT.INVALID', `${what} must be a number, got "${s}"`);
  return Number(s);
}

/** The CLI reports results on stdout itself; delivery warnings would only repeat them on stderr. */
const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLogger };

function resultLine(d: DeliveryReport): string {
  const who = d.name ? `${d.name} <${d.address}>` : d.address;
  if (d.state === 'delivered') {
    const note = d.channel === 'sms' ? ` (${d.ref ?? 'queued'}; the running service sends it)` : d.ref ? ` (${d.ref})` : '';
    return `ok\t${d.channel}\t${who}${note}`;
  }
  const why = d.lastError === 'channel-unavailable' ? (d.channel === 'email' ? 'notify.smtp is not configured' : 'channel not configured') : (d.lastError ?? d.state);
  return `FAIL\t${d.channel}\t${who}: ${why}`;
}

/** `notify test` (src/cli/notify-command.ts). */
export async function notifyTest(ctx: CliContext, o: { business: string; json?: boolean }): Promise<void> {
  const businessId = parseId(o.business, '--business');
  const cfg = ctx.config().config;
  const report = await withCliStores(ctx, { mustExist: true }, async (stores) => {
    const business = await stores.businesses.byId(businessId);
    if (!business) throw new AppError('INPUT.NOT_FOUND', `no business with id ${businessId}`);
    const clock = createSystemClock();
    // The use case runs on the async ports, as in serve: SQLite's one connection behind them in turns, or PostgreSQL.
    const wiring = await createNotifyWiring({
      stores,
      config: cfg.notify,
      outbox: stores.outbox,
      senderFor: async () => business.dids[0],
      clock,
      logger: quietLogger,
      singleAttempt: true,
    });
    try {
      return await wiring.notify.sendTest({ id: business.id, name: business.name, timezone: business.timezone, did: business.dids[0] ?? null });
    } finally {
      wiring.close();
    }
  });
  if (report.deliveries.length === 0) {
    throw new AppError('INPUT.INVALID', `business ${businessId} has no staff and no webhook: add some with "callkeeper staff add" or "callkeeper notify webhook set"`);
  }
  const failed = report.deliveries.filter((d) => d.state !== 'delivered');
  if (o.json) writeLine(ctx.stdout, JSON.stringify(report.deliveries));
  else for (const d of report.deliveries) writeLine(ctx.stdout, resultLine(d));
  if (failed.length > 0) throw new AppError('NOTIFY.DELIVERY_FAILED', `${failed.length} of ${report.deliveries.length} test deliveries failed`);
}

/** `notify webhook set`. */
export async function notifyWebhookSet(ctx: CliContext, o: { business: string; url: string; secret?: string }): Promise<void> {
  const businessId = parseId(o.business, '--business');
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw new AppError('INPUT.INVALID', `--url is not a URL: ${o.url}`);
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) throw new AppError('INPUT.INVALID', '--url must be https (http is allowed for localhost only)');
  if (o.secret !== undefined && o.secret.length < 16) throw new AppError('INPUT.INVALID', '--secret must be at least 16 characters');
  const secret = o.secret ?? randomBytes(32).toString('hex');
  await withCliStores(ctx, {}, (s) => s.staff.setWebhook(businessId, { url: url.toString(), secret }));
  writeLine(ctx.stdout, `webhook set for business ${businessId}: ${url.toString()}`);
  if (o.secret === undefined) writeLine(ctx.stdout, `signing secret (store it in the receiver; it is not shown again): ${secret}`);
}

/** `notify webhook clear`. */
export async function notifyWebhookClear(ctx: CliContext, o: { business: string }): Promise<void> {
  const businessId = parseId(o.business, '--business');
  await withCliStores(ctx, { mustExist: true }, (s) => s.staff.setWebhook(businessId, null));
  writeLine(ctx.stdout, `webhook cleared for business ${businessId}`);
}
