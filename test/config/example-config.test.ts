import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { configSchema } from '../../src/config/config-schema.ts';
import { loadConfig } from '../../src/config/config-loader.ts';

const EXAMPLE = 'config/callkeeper.example.yaml';
const UNIT = 'scripts/callkeeper.service';

type Node = { _zod: { def: { type: string; innerType?: Node; shape?: Record<string, Node> } } };

/** Every leaf key path of the schema (`smpp.password`, `messaging.quietHours.start`, ...). */
function schemaPaths(node: Node, prefix = ''): string[] {
  let n = node;
  while (['default', 'prefault', 'optional', 'nullable'].includes(n._zod.def.type)) n = n._zod.def.innerType!;
  if (n._zod.def.type !== 'object') return [prefix];
  return Object.entries(n._zod.def.shape!).flatMap(([k, v]) => schemaPaths(v, prefix ? `${prefix}.${k}` : k));
}

function objectPaths(o: unknown, prefix = ''): string[] {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return [prefix];
  return Object.entries(o).flatMap(([k, v]) => objectPaths(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * The example with its commented-out optional keys (indented `  # key: value` lines, and optional
 * blocks as `  # block:` followed by `  #   key: value`) switched on.
 */
function activated(text: string): string {
  return text.replace(/^( +)# ( *[a-z][a-zA-Z]*:(?: \S.*)?)$/gm, '$1$2');
}

describe('config/callkeeper.example.yaml', () => {
  const text = readFileSync(EXAMPLE, 'utf8');

  test('loads and validates with the real loader, and its values are the defaults or documented production paths', () => {
    const { config, source } = loadConfig({ file: EXAMPLE, env: {} });
    assert.equal(source, EXAMPLE);
    const defaults = configSchema.parse({});
    // Everything but the data locations equals the built-in default, so the comments' "default" claims hold.
    const { database, recordings, prompts, ...rest } = config;
    const { database: d0, recordings: r0, prompts: p0, ...rest0 } = defaults;
    assert.deepEqual(rest, rest0);
    assert.equal(recordings.retentionDays, r0.retentionDays);
    assert.equal(database.path, '/var/lib/callkeeper/callkeeper.db');
    assert.ok(d0.path && p0.dir);
    assert.equal(prompts.synthesizer, p0.synthesizer);
  });

  test('every schema key appears in the example (optional ones as a commented line), and no other key', () => {
    const expected = schemaPaths(configSchema as unknown as Node).sort();
    const present = objectPaths(parseYaml(activated(text))).sort();
    assert.deepEqual(present, expected);
    assert.ok(expected.includes('call.drainTimeoutMs') && expected.includes('messaging.quietHours.end'));
  });

  test('the commented-out examples are valid values too', () => {
    const parsed = configSchema.safeParse(parseYaml(activated(text)));
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
  });

  test('the systemd unit lets the drain finish before SIGKILL and runs the documented command', () => {
    const unit = readFileSync(UNIT, 'utf8');
    const stopSec = Number(/^TimeoutStopSec=(\d+)$/m.exec(unit)?.[1]);
    const drainMs = loadConfig({ file: EXAMPLE, env: {} }).config.call.drainTimeoutMs;
    assert.ok(stopSec * 1000 >= drainMs + 45_000 + 30_000, `TimeoutStopSec=${stopSec} must exceed drainTimeoutMs ${drainMs} + 45 s (interrupted calls) + 30 s`);
    assert.match(unit, /^ExecStart=\/usr\/bin\/env node \/opt\/callkeeper\/bin\/callkeeper\.mjs serve --config \/etc\/callkeeper\/callkeeper\.yaml$/m);
    assert.match(unit, /^KillSignal=SIGTERM$/m);
    assert.match(unit, /^KillMode=mixed$/m);
    assert.match(unit, /^ReadWritePaths=\/var\/lib\/callkeeper$/m);
  });
});
