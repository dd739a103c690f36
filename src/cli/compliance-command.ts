import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { commandGroup, lazyAction } from './cli-context.ts';

const actions = () => import('./compliance-actions.ts');

export function registerComplianceCommand(program: Command, ctx: CliContext): void {
  const compliance = commandGroup(program, 'compliance', 'carrier registration (10DLC): the program description, the opt-in page, the rules');

  compliance
    .command('kit')
    .description('write the campaign registration fields (JSON and text), the static opt-in page and the consent script')
    .requiredOption('--business <id>', 'business id (see business list)')
    .requiredOption('--out <dir>', 'directory to write into (created if missing; the kit files in it are replaced)')
    .option('--force', 'write the kit even if the program breaks a compliance rule')
    .addHelpText('after', '\nExample:\n  callkeeper compliance kit --business 1 --out ./10dlc-acme')
    .action(lazyAction(ctx, async () => (await actions()).complianceKit));

  compliance
    .command('check')
    .description('check every template, keyword reply and the consent script against the carrier rules; exit 1 with one line per broken rule')
    .option('--business <id>', 'only this business')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExample:\n  callkeeper compliance check --business 1')
    .action(lazyAction(ctx, async () => (await actions()).complianceCheck));
}
