/**
 * The dialplan samples installers copy (dialplan/), read as FreeSWITCH and Asterisk would read them.
 * Neither engine runs here (the ESL peer and the ARI simulator cannot run a dialplan), so these tests
 * check the lines that decide what a caller lives through:
 * - FreeSWITCH: the staff ring is bounded in the bridge dial string, with variables FreeSWITCH 1.10
 *   applies to a ringing phone (`{originate_timeout=N}` for the bridge, `[leg_timeout=N]` per leg), and
 *   no deprecated `call_timeout` (a ringing staff phone ignored it and rang 60 s);
 * - both: after the hand-over line (`socket`, `Stasis()`) comes a fallback, not a hangup, because the
 *   dialplan only gets there when callkeeper did not take the call (not connected, or draining).
 * dialplan/freeswitch/README.md and dialplan/asterisk/README.md say where each rule comes from.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

const RING_SECONDS = 20;

interface Action {
  readonly application: string;
  readonly data: string;
}

/** The `<action>`s of the sample, in order, comments removed: what FreeSWITCH's XML dialplan would run. */
function actions(xml: string): Action[] {
  const live = xml.replace(/<!--[\s\S]*?-->/g, '');
  const out: Action[] = [];
  for (const m of live.matchAll(/<action\b([^>]*?)\/?>/g)) {
    const attrs = new Map([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1] ?? '', decodeXml(a[2] ?? '')]));
    out.push({ application: attrs.get('application') ?? '', data: attrs.get('data') ?? '' });
  }
  return out;
}

function decodeXml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

interface DialString {
  /** `{a=b,...}`: variables for every leg of the bridge. */
  readonly global: Map<string, string>;
  /** Each leg with its own `[a=b,...]` variables. */
  readonly legs: { readonly vars: Map<string, string>; readonly target: string }[];
}

function vars(list: string): Map<string, string> {
  return new Map(
    list
      .split(',')
      .filter((kv) => kv.includes('='))
      .map((kv) => [kv.slice(0, kv.indexOf('=')).trim(), kv.slice(kv.indexOf('=') + 1).trim()]),
  );
}

/** A bridge/originate dial string as FreeSWITCH splits it: `{global}[leg]target,[leg]target|…`. */
function parseDialString(data: string): DialString {
  let rest = data.trim();
  let global = new Map<string, string>();
  const g = /^\{([^}]*)\}/.exec(rest);
  if (g) {
    global = vars(g[1] ?? '');
    rest = rest.slice(g[0].length);
  }
  const legs = rest
    .split(/[,|]/)
    .filter((l) => l.trim() !== '')
    .map((leg) => {
      const l = /^\[([^\]]*)\]/.exec(leg.trim());
      return { vars: l ? vars(l[1] ?? '') : new Map<string, string>(), target: l ? leg.trim().slice(l[0].length) : leg.trim() };
    });
  return { global, legs };
}

describe('dialplan/freeswitch/callkeeper-public.xml', () => {
  const xml = readFileSync(new URL('../../dialplan/freeswitch/callkeeper-public.xml', import.meta.url), 'utf8');
  const acts = actions(xml);

  test('the staff bridge carries its ring time in the dial string: {originate_timeout} and [leg_timeout] on every leg', () => {
    const bridges = acts.filter((a) => a.application === 'bridge');
    assert.ok(bridges.length >= 1, 'the sample rings the staff with bridge');
    for (const b of bridges) {
      const d = parseDialString(b.data);
      assert.equal(d.global.get('originate_timeout'), String(RING_SECONDS), `bridge ${b.data}: {originate_timeout=${RING_SECONDS}}`);
      assert.ok(!d.global.has('leg_timeout'), 'leg_timeout belongs in [] per leg, not in the global {} block');
      assert.ok(d.legs.length >= 1);
      for (const leg of d.legs) {
        assert.equal(leg.vars.get('leg_timeout'), String(RING_SECONDS), `leg ${leg.target}: [leg_timeout=${RING_SECONDS}]`);
        assert.match(leg.target, /^user\//, 'the staff leg dials a directory user');
      }
    }
  });

  test('no deprecated call_timeout anywhere the dialplan runs', () => {
    for (const a of acts) {
      assert.doesNotMatch(a.data, /\bcall_timeout\s*=/, `${a.application} ${a.data}`);
    }
  });

  test('the bridge can fail through to callkeeper: continue_on_fail is set before it, socket comes right after', () => {
    const bridgeAt = acts.findIndex((a) => a.application === 'bridge');
    const setAt = acts.findIndex((a) => a.application === 'set' && a.data === 'continue_on_fail=true');
    assert.ok(setAt >= 0 && setAt < bridgeAt, 'continue_on_fail=true before the bridge');
    assert.deepEqual(acts[bridgeAt + 1], { application: 'socket', data: '127.0.0.1:8084 async full' });
  });

  test('after socket comes the fallback (voicemail or the staff again), never a hangup first', () => {
    const socketAt = acts.findIndex((a) => a.application === 'socket');
    const after = acts.slice(socketAt + 1);
    const firstCallerFacing = after.find((a) => a.application !== 'log' && a.application !== 'set');
    assert.ok(firstCallerFacing, 'something follows socket');
    assert.ok(['voicemail', 'bridge'].includes(firstCallerFacing.application), `the first thing after socket is ${firstCallerFacing.application}`);
    assert.ok(after.some((a) => a.data.includes('${CALLKEEPER_RESULT}')), 'the sample shows how to read why callkeeper did not take the call');
  });
});

describe('dialplan/asterisk/extensions.conf', () => {
  const conf = readFileSync(new URL('../../dialplan/asterisk/extensions.conf', import.meta.url), 'utf8');
  /** The applications of [from-trunk], in priority order, comments removed. */
  const fromTrunk = (() => {
    const body = conf.split(/^\[from-trunk\]\s*$/m)[1]?.split(/^\[/m)[0] ?? '';
    return body
      .split('\n')
      .map((l) => l.replace(/;.*$/, '').trim())
      .filter((l) => /^(exten|same)\s*=>/.test(l))
      .map((l) => /=>\s*(?:[^,]*,)?\s*n?(?:\([^)]*\))?,?(\w+)\((.*)\)\s*$/.exec(l.replace(/^exten\s*=>\s*[^,]+,\s*1,/, 'same => n,')))
      .map((m) => ({ app: m?.[1] ?? '', args: m?.[2] ?? '' }));
  })();

  test('after Stasis() comes the fallback (VoiceMail, or Dial of the staff), not a Hangup()', () => {
    const stasisAt = fromTrunk.findIndex((a) => a.app === 'Stasis');
    assert.ok(stasisAt >= 0, 'the missed call goes to Stasis()');
    assert.equal(fromTrunk[stasisAt]?.args, 'callkeeper,${EXTEN}');
    const after = fromTrunk.slice(stasisAt + 1);
    const firstCallerFacing = after.find((a) => !['NoOp', 'GotoIf', 'Set'].includes(a.app));
    assert.ok(firstCallerFacing && ['VoiceMail', 'Dial'].includes(firstCallerFacing.app), `the first thing after Stasis() is ${firstCallerFacing?.app}`);
    assert.ok(after.some((a) => a.app === 'Dial'), 'ringing the staff again is shown too');
    assert.ok(after.some((a) => a.args.includes('${CALLKEEPER_RESULT}')), 'the sample shows how to read why callkeeper did not take the call');
  });
});
