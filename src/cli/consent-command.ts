import { Option, type Command } from 'commander';
import { EXPORT_FORMATS } from '../app/consent/export-consent.ts';
import type { CliContext } from './cli-context.ts';
import { commandGroup, lazyAction } from './cli-context.ts';

const actions = () => import('./consent-actions.ts');

const collectList = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

export function registerConsentCommand(program: Command, ctx: CliContext): void {
  const consent = commandGroup(program, 'consent', 'the tamper-evident SMS consent ledger');

  consent
    .command('export')
    .description('export ledger records (streamed; stable columns, see src/app/consent/export-consent.ts)')
    .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).default('csv'))
    .option('--out <file>', 'write to FILE (created 0600), or - for stdout', '-')
    .option('--business <id>', 'only this business')
    .option('--phone <e164>', "only this consumer's number")
    .option('--since <iso>', 'only events at or after this time (ISO-8601 UTC)')
    .option('--until <iso>', 'only events before this time (ISO-8601 UTC)')
    .option('--event <type>', 'only these events: granted, declined, unclear, implied, revoked, reinstated (repeatable or comma list)', collectList)
    .addHelpText(
      'after',
      `
CSV columns: id,at,business_id,did,consumer,event,method,script_version,script_sha256,transcript,
  audio_path,audio_sha256,call_id,source,prev_hash,hash (RFC 4180, CRLF, times ISO-8601 UTC).
Cells starting with = + - @ TAB or CR get a leading ' (spreadsheet formula injection), so phone numbers
  read '+15125550100 in CSV; JSON/NDJSON are exact and add script_text.

Example:
  callkeeper consent export --format csv --business 1 --since 2026-01-01 --event granted,revoked --out consent.csv`,
    )
    .action(lazyAction(ctx, async () => (await import('./consent-export-actions.ts')).consentExport, 'dbOnly'));

  consent
    .command('import')
    .description('import consent events from another system: one transaction, method "import", original times kept')
    .addOption(new Option('--format <format>', 'input format').choices(['ndjson']).default('ndjson'))
    .argument('<file>', 'NDJSON file, one event per line (keys: see src/app/consent/import-consent.ts)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Each line: {"event":"granted","business_id":1,"consumer":"+15125550123","at":"2025-11-02T15:04:05Z",
  "did":"+15125550100","script_text":"...","transcript":"yes"}  (a callkeeper NDJSON export imports as is)
A bad line fails the whole import with its line number; nothing is written. Lines are appended in file
order; an "at" more than 5 minutes ahead of this machine's clock, or before the number's current event
(already in the ledger or on an earlier line), is a bad line: the event recorded last is the current one.

Example:
  callkeeper consent import --format ndjson old-system.ndjson`,
    )
    .action(lazyAction(ctx, async () => (await actions()).consentImport));

  consent
    .command('show')
    .description('the whole consent history of a number, and its current consent per business')
    .argument('<e164>', "the consumer's number")
    .option('--business <id>', 'only this business')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  callkeeper consent show +15125550123 --business 1')
    .action(lazyAction(ctx, async () => (await actions()).consentShow));

  consent
    .command('revoke')
    .description('record a revocation the business received by phone or email (method "admin")')
    .argument('<e164>', "the consumer's number")
    .requiredOption('--business <id>', 'the business the consumer revoked consent for')
    .requiredOption('--reason <text>', 'how and when it was received, kept in the record')
    .option('--json', 'print the new record as JSON')
    .addHelpText('after', '\nExample:\n  callkeeper consent revoke +15125550123 --business 1 --reason "asked by phone 2026-05-26, ticket 4411"')
    .action(lazyAction(ctx, async () => (await actions()).consentRevoke));

  consent
    .command('verify')
    .description('walk the hash chain and check it against the signed checkpoints; exit 0 with "ok N records", exit 1 naming the first bad record')
    .option('--checkpoints <file>', 'the checkpoint file (default: ledger.checkpointsFile, <db>.checkpoints); pass a copy kept off this machine')
    .option('--public-key <file>', 'the ledger public key (default: ledger.publicKeyFile, else derived from ledger.keyFile); pass a copy kept off this machine')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Records after the last checkpoint are reported as unsigned: nothing can prove or disprove them yet.

Example:
  callkeeper --db /var/lib/callkeeper/callkeeper.db consent verify
  callkeeper consent verify --public-key ~/offsite/ledger-key.pub --checkpoints ~/offsite/callkeeper.db.checkpoints`,
    )
    .action(lazyAction(ctx, async () => (await actions()).consentVerify));

  consent
    .command('evidence')
    .description('write the evidence bundle of one record: record.json, script.txt, transcript.txt, audio, call.json and message audio (calls), manifest.json')
    .argument('<id>', 'ledger record id')
    .requiredOption('--out <dir>', 'a new or empty directory to write the bundle into (created)')
    .option('--json', 'print the manifest as JSON')
    .addHelpText(
      'after',
      '\nAudio is copied only from the recordings directories (recordings.dir, FreeSWITCH\'s with engine freeswitch);\n' +
        'a record naming any other file lists it as refused.\n\nExample:\n  callkeeper consent evidence 42 --out ./evidence-42',
    )
    .action(lazyAction(ctx, async () => (await actions()).consentEvidence));
}
