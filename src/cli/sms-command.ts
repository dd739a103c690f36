import type { Command } from 'commander';
import type { TemplateKey } from '../domain/business.ts';
import { AppError } from '../domain/errors.ts';
import type { CliContext } from './cli-context.ts';
import { commandGroup, lazyAction } from './cli-context.ts';

const actions = () => import('./sms-actions.ts');

const TEMPLATES: readonly TemplateKey[] = ['received', 'callback', 'complete'];

function parseTemplate(v: string): TemplateKey {
  if (!TEMPLATES.includes(v as TemplateKey)) throw new AppError('INPUT.INVALID', `--template must be one of ${TEMPLATES.join(', ')}`);
  return v as TemplateKey;
}

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
    .requiredOption('--template <name>', `one of ${TEMPLATES.join(', ')}`, parseTemplate)
    .option('--var <k=v>', 'template variable (repeatable), e.g. --var issue="a leaking faucet"', collectVar, {})
    .option('--dispatch', 'also connect to the SMSC now and send everything due (else the running service sends it)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  callkeeper sms send --business 1 --to +15125550111 --template callback')
    .action(lazyAction(ctx, async () => (await actions()).smsSend));
}
