import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { commandGroup, lazyAction } from './cli-context.ts';

const actions = () => import('./user-actions.ts');

const PASSWORD_HELP = 'read the password from this file, or "-" for standard input (first line; at least 12 characters)';

/** `callkeeper user add|list|remove|passwd`: who may sign in to the web console (src/console/README.md). */
export function registerUserCommand(program: Command, ctx: CliContext): void {
  const user = commandGroup(program, 'user', 'web console users (viewer: reads; admin: also revokes, downloads evidence, edits templates)');
  user
    .command('add')
    .description('add a console user')
    .argument('<name>', 'the sign-in name')
    .requiredOption('--role <role>', 'viewer or admin')
    .option('--password-file <file>', PASSWORD_HELP, '-')
    .addHelpText('after', '\nExample:\n  printf "%s\\n" "$PASSWORD" | callkeeper user add dana --role admin')
    .action(lazyAction(ctx, async () => (await actions()).userAdd));
  user
    .command('list')
    .description('list console users: name, role, created')
    .option('--json', 'print JSON lines')
    .action(lazyAction(ctx, async () => (await actions()).userList));
  user
    .command('remove')
    .description('remove a console user and end their sessions')
    .argument('<name>', 'the sign-in name')
    .action(lazyAction(ctx, async () => (await actions()).userRemove));
  user
    .command('passwd')
    .description("set a user's password (ends their sessions)")
    .argument('<name>', 'the sign-in name')
    .option('--password-file <file>', PASSWORD_HELP, '-')
    .addHelpText('after', '\nExample:\n  callkeeper user passwd dana --password-file /run/secrets/dana')
    .action(lazyAction(ctx, async () => (await actions()).userPasswd));
}
