import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { lazyAction } from './cli-context.ts';

const actions = () => import('./ledger-actions.ts');

/**
 * `callkeeper ledger keygen | checkpoint`: the ledger's signing key and its checkpoints, the
 * same use case `serve` runs on its triggers (src/app/consent/ledger-checkpointer.ts).
 */
export function registerLedgerCommand(program: Command, ctx: CliContext): void {
  const ledger = program.command('ledger').description("the consent ledger's signing key and signed checkpoints");

  ledger
    .command('keygen')
    .description('create the Ed25519 signing key (private 0600, public beside it) and sign the current ledger head')
    .option('--json', 'print the key id and paths as JSON')
    .addHelpText(
      'after',
      `
Paths: ledger.keyFile (default <db>.ledger-key), ledger.publicKeyFile (<keyFile>.pub), ledger.checkpointsFile
(<db>.checkpoints). Never overwrites a key, and refuses while a checkpoint file exists (it belongs to the
old key: move it aside and keep it). serve creates the key itself on first start when there is none.

Example:
  callkeeper --config /etc/callkeeper/callkeeper.yaml ledger keygen
  scp /var/lib/callkeeper/callkeeper.db.ledger-key.pub admin@elsewhere:   # keep a copy off this machine`,
    )
    .action(lazyAction(ctx, async () => (await actions()).ledgerKeygen));

  ledger
    .command('checkpoint')
    .description('sign the current ledger head now (serve does this on its own; useful after a consent import)')
    .option('--json', 'print the checkpoint as JSON')
    .addHelpText(
      'after',
      `
Refuses when the ledger no longer matches the last checkpoint. With no checkpoint file it starts one,
signed from the current ledger (serve never does that for an existing key): the way to start afresh
after a legitimate restore, once the old file is moved aside and kept.

Example:
  callkeeper ledger checkpoint`,
    )
    .action(lazyAction(ctx, async () => (await actions()).ledgerCheckpoint));
}
