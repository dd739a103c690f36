import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { commandGroup, lazyAction } from './cli-context.ts';

const actions = () => import('./notify-actions.ts');

/** `callkeeper notify test|webhook`. */
export function registerNotifyCommand(program: Command, ctx: CliContext): void {
  const notify = commandGroup(program, 'notify', 'staff notifications: test the channels, set the business webhook');

  notify
    .command('test')
    .description('send a test notification through every configured channel to every staff member; exit 1 if any failed')
    .requiredOption('--business <id>', 'business id')
    .option('--json', 'print the results as JSON')
    .addHelpText('after', '\nExample:\n  callkeeper notify test --business 1')
    .action(lazyAction(ctx, async () => (await actions()).notifyTest));

  const webhook = notify.command('webhook').description("the business's signed webhook (HTTP POST of JSON)");
  webhook
    .command('set')
    .description('set the webhook URL; the signing secret is generated unless given, and printed once')
    .requiredOption('--business <id>', 'business id')
    .requiredOption('--url <url>', 'https URL (http only for localhost)')
    .option('--secret <secret>', 'signing secret (default: 32 random bytes, hex)')
    .addHelpText('after', '\nExample:\n  callkeeper notify webhook set --business 1 --url https://crm.example.com/hooks/callkeeper')
    .action(lazyAction(ctx, async () => (await actions()).notifyWebhookSet));
  webhook
    .command('clear')
    .description('remove the business webhook')
    .requiredOption('--business <id>', 'business id')
    .action(lazyAction(ctx, async () => (await actions()).notifyWebhookClear));
}
