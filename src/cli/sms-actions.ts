import { OutboxDispatcher } from '../app/messaging/outbox-dispatcher.ts';
import { sendTemplate } from '../app/messaging/send-template.ts';
import { createSystemClock } from '../app/system-clock.ts';
import { dispatcherConfig, sendingRules, smppGatewayConfig } from '../compose/sms-settings.ts';
import type { Config } from '../config/config-schema.ts';
import type { TemplateKey } from '../domain/business.ts';
import { AppError } from '../domain/errors.ts';
import type { AsyncDispatchOutbox } from '../domain/ports/async-outbox.ts';
import type { Clock } from '../domain/ports/clock.ts';
import { SmppGateway } from '../sms/smpp-gateway.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStores } from './cli-store.ts';

const SYSTEM_CLOCK: Clock = createSystemClock();

/** `sms send` (src/cli/sms-command.ts). */
export async function smsSend(ctx: CliContext, opts: { business: string; to: string; template: TemplateKey; var: Record<string, string>; dispatch?: boolean; json?: boolean }): Promise<void> {
  const businessId = Number(opts.business);
  if (!Number.isSafeInteger(businessId) || businessId <= 0) throw new AppError('INPUT.INVALID', '--business must be a business id');
  const cfg = ctx.config().config;
  if (opts.dispatch && ctx.database().kind === 'postgres') {
    // Dispatching takes claims (a node's lease on each text) and binds to the SMSC: that is a node's work,
    // and the running nodes send what this queues (src/store/postgres/README.md, "The admin CLI on PostgreSQL").
    throw new AppError('INPUT.INVALID', 'sms send --dispatch works on SQLite installs only; on PostgreSQL the running nodes send the queued text (drop --dispatch)');
  }
  await withCliStores(ctx, {}, async (stores) => {
    // The use cases take the async store ports: SQLite's stores behind them in turns, or PostgreSQL's (src/compose/serve-stores.ts).
    const r = await sendTemplate(
      { outbox: stores.outbox, rules: sendingRules(cfg.messaging), businesses: stores.businesses, consent: stores.consent, clock: SYSTEM_CLOCK },
      { businessId, to: opts.to, template: opts.template, vars: opts.var },
    );
    let sent: Record<string, number> | null = null;
    if (opts.dispatch) sent = await dispatchNow(stores.outbox, cfg);
    if (opts.json) {
      writeLine(ctx.stdout, JSON.stringify({ outboundId: r.outboundId, kind: r.kind, parts: r.rendered.parts, encoding: r.rendered.encoding, deferredUntil: r.deferredUntil, text: r.rendered.text, dispatched: sent }));
    } else {
      const when = r.deferredUntil ? `, held by quiet hours until ${new Date(r.deferredUntil).toISOString()}` : '';
      writeLine(ctx.stdout, `queued text #${r.outboundId} (${r.rendered.parts} part(s), ${r.rendered.encoding}${when})`);
      if (sent) writeLine(ctx.stdout, `dispatched: ${sent.submitted} submitted, ${sent.retried} to retry, ${sent.failed} failed`);
    }
  });
}

/** Connects, sends what is due now, disconnects (installs without the service running, and demos). */
async function dispatchNow(outbox: AsyncDispatchOutbox, cfg: Config): Promise<Record<string, number>> {
  const gateway = new SmppGateway(smppGatewayConfig(cfg.smpp));
  const dispatcher = new OutboxDispatcher(dispatcherConfig(cfg.smpp), { outbox, rules: sendingRules(cfg.messaging), gateway, clock: SYSTEM_CLOCK });
  let cancelTimer: (() => void) | undefined;
  try {
    // A down SMSC is retried forever by the gateway; a CLI should give up and say so.
    await Promise.race([
      gateway.start(),
      new Promise<never>((_, reject) => {
        cancelTimer = SYSTEM_CLOCK.setTimer(cfg.smpp.responseTimeout, () =>
          reject(new AppError('SMS.NOT_CONNECTED', `could not bind to the SMSC at ${cfg.smpp.host}:${cfg.smpp.port}; the text stays queued`)),
        );
      }),
    ]);
    dispatcher.start();
    await dispatcher.drainDue();
    return { ...dispatcher.stats };
  } finally {
    cancelTimer?.();
    await dispatcher.stop();
    await gateway.stop();
  }
}
