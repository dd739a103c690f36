import type { Command } from 'commander';
import { OutboxDispatcher, type DispatcherConfig } from '../app/messaging/outbox-dispatcher.ts';
import { sendTemplate } from '../app/messaging/send-template.ts';
import type { Config } from '../config/config-schema.ts';
import type { TemplateKey } from '../domain/business.ts';
import { AppError } from '../domain/errors.ts';
import type { SendingRules } from '../domain/messaging/sending-policy.ts';
import type { Clock } from '../domain/ports/clock.ts';
import { SmppGateway, type SmppGatewayConfig } from '../sms/smpp-gateway.ts';
import type { SqliteDb } from '../store/sqlite-database.ts';
import { SqliteOutbox } from '../store/sqlite-outbox.ts';
import type { CliContext } from './cli-context.ts';
import { commandGroup, writeLine } from './cli-context.ts';
import { withCliStore } from './db-command.ts';

/** The `messaging` config slice as the outbox's sending rules. */
export function sendingRules(cfg: Config['messaging']): SendingRules {
  return { maxPerDay: cfg.maxPerDay, quietHours: cfg.quietHours, firstReplyExemptFromQuietHours: cfg.firstReplyExemptFromQuietHours };
}

/** The `smpp` config slice as the gateway's config (the loader has already read `passwordFile`). */
export function smppGatewayConfig(cfg: Config['smpp']): SmppGatewayConfig {
  return { ...cfg };
}

/** The `smpp` slice as the dispatcher's config: window, retry horizon and receipt timeout (issue 12). */
export function dispatcherConfig(cfg: Config['smpp']): DispatcherConfig {
  const hour = 3_600_000;
  return {
    window: cfg.window,
    retryHorizonMs: cfg.validityHours * hour,
    // Without registered delivery no receipt is ever coming: `submitted` is as far as a text goes.
    receiptTimeoutMs: cfg.registeredDelivery ? cfg.receiptTimeoutHours * hour : null,
  };
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setTimer: (ms, fn) => {
    const h = setTimeout(fn, ms);
    return () => clearTimeout(h);
  },
};

export function createOutbox(db: SqliteDb, cfg: Config['messaging'], clock: Clock = SYSTEM_CLOCK): SqliteOutbox {
  return new SqliteOutbox(db, { rules: sendingRules(cfg), clock });
}

const TEMPLATES: readonly TemplateKey[] = ['received', 'callback', 'complete'];

function collectVar(v: string, acc: Record<string, string>): Record<string, string> {
  const i = v.indexOf('=');
  if (i <= 0) throw new AppError('INPUT.INVALID', `--var wants k=v, got "${v}"`);
  return { ...acc, [v.slice(0, i)]: v.slice(i + 1) };
}

export function registerSmsCommand(program: Command, ctx: CliContext): void {
  const sms = commandGroup(program, 'sms', 'send texts through the outbox');
  sms
    .command('send')
    .description('queue a template text; every sending rule applies (consent, 4/24 h cap, quiet hours) and a refusal names the rule')
    .requiredOption('--business <id>', 'business id')
    .requiredOption('--to <e164>', "the consumer's number, E.164")
    .requiredOption('--template <name>', `one of ${TEMPLATES.join(', ')}`)
    .option('--var <k=v>', 'template variable (repeatable), e.g. --var issue="a leaking faucet"', collectVar, {})
    .option('--dispatch', 'also connect to the SMSC now and send everything due (else the running service sends it)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  callkeeper sms send --business 1 --to +15125550111 --template callback')
    .action(async (opts: { business: string; to: string; template: string; var: Record<string, string>; dispatch?: boolean; json?: boolean }) => {
      if (!TEMPLATES.includes(opts.template as TemplateKey)) {
        throw new AppError('INPUT.INVALID', `--template must be one of ${TEMPLATES.join(', ')}`);
      }
      const businessId = Number(opts.business);
      if (!Number.isSafeInteger(businessId) || businessId <= 0) throw new AppError('INPUT.INVALID', '--business must be a business id');
      const cfg = ctx.config().config;
      await withCliStore(ctx, {}, async (store) => {
        const outbox = createOutbox(store.db, cfg.messaging);
        const r = sendTemplate(
          { outbox, businesses: store.businesses, consent: store.consent, clock: SYSTEM_CLOCK },
          { businessId, to: opts.to, template: opts.template as TemplateKey, vars: opts.var },
        );
        let sent: Record<string, number> | null = null;
        if (opts.dispatch) sent = await dispatchNow(outbox, cfg);
        if (opts.json) {
          writeLine(ctx.stdout, JSON.stringify({ outboundId: r.outboundId, kind: r.kind, parts: r.rendered.parts, encoding: r.rendered.encoding, deferredUntil: r.deferredUntil, text: r.rendered.text, dispatched: sent }));
        } else {
          const when = r.deferredUntil ? `, held by quiet hours until ${new Date(r.deferredUntil).toISOString()}` : '';
          writeLine(ctx.stdout, `queued text #${r.outboundId} (${r.rendered.parts} part(s), ${r.rendered.encoding}${when})`);
          if (sent) writeLine(ctx.stdout, `dispatched: ${sent.submitted} submitted, ${sent.retried} to retry, ${sent.failed} failed`);
        }
      });
    });
}

/** Connects, sends what is due now, disconnects (installs without the service running, and demos). */
async function dispatchNow(outbox: SqliteOutbox, cfg: Config): Promise<Record<string, number>> {
  const gateway = new SmppGateway(smppGatewayConfig(cfg.smpp));
  const dispatcher = new OutboxDispatcher(dispatcherConfig(cfg.smpp), { outbox, gateway, clock: SYSTEM_CLOCK });
  let timer: NodeJS.Timeout | undefined;
  try {
    // A down SMSC is retried forever by the gateway; a CLI should give up and say so.
    await Promise.race([
      gateway.start(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new AppError('SMS.NOT_CONNECTED', `could not bind to the SMSC at ${cfg.smpp.host}:${cfg.smpp.port}; the text stays queued`)),
          cfg.smpp.responseTimeout,
        );
      }),
    ]);
    dispatcher.start();
    await dispatcher.drainDue();
    return { ...dispatcher.stats };
  } finally {
    clearTimeout(timer);
    await dispatcher.stop();
    await gateway.stop();
  }
}
