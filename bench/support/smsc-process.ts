/**
 * The SMSC for bench:sms in a process of its own (`node --import tsx bench/support/smsc-process.ts`,
 * spoken to over IPC), so that the client's CPU time (`process.cpuUsage()` in the bench) is the client's
 * alone and the simulator does not take turns on the client's event loop. It also plays the consumer
 * who texts STOP, and watches the database through a connection of its own for the moment those
 * consumers' queued texts can no longer be claimed (the STOP committed): the latency a second process
 * (the CLI, another service) would see.
 *
 * Messages in: { type: 'stops', db, stops: [{ from, afterSubmits }] } arms STOPs (digits, sent once the
 * SMSC has accepted that many submits in all); { type: 'report' } answers { type: 'stops', latencies }.
 * Out: { type: 'ready', port } at start.
 */
import { SmscSimulator } from '../../src/sim/smsc/smsc-simulator.ts';
import { openDatabase, type SqliteDb } from '../../src/store/sqlite-database.ts';

interface ArmedStop {
  readonly from: string;
  readonly afterSubmits: number;
}

const send = (m: unknown): void => void process.send?.(m);
const sim = new SmscSimulator({ receipts: 'both' });
let accepted = 0;
let armed: ArmedStop[] = [];
let db: SqliteDb | null = null;
let latencies: number[] = [];
let watching = 0;

sim.on('submit', () => {
  accepted++;
  while (armed.length > 0 && accepted >= armed[0]!.afterSubmits) fire(armed.shift()!);
});

/** Sends the STOP and polls, every millisecond, until no text of this consumer is `queued` any more. */
function fire(stop: ArmedStop): void {
  if (!db) return;
  const queued = db.prepare("SELECT count(*) FROM outbound_messages WHERE recipient = ? AND state = 'queued'").pluck();
  const to = `+${stop.from}`;
  const t0 = performance.now();
  watching++;
  void sim.deliver({ from: stop.from, to: '15125550100', text: 'STOP' }).catch(() => undefined);
  const poll = (): void => {
    if ((queued.get(to) as number) === 0) {
      latencies.push(performance.now() - t0);
      watching--;
      return;
    }
    if (performance.now() - t0 > 30_000) {
      latencies.push(Infinity);
      watching--;
      return;
    }
    setTimeout(poll, 1);
  };
  poll();
}

process.on('message', (m: { type: string; db?: string; stops?: ArmedStop[] }) => {
  if (m.type === 'stops') {
    db?.close();
    db = openDatabase(m.db!, { readonly: true });
    armed = [...m.stops!].sort((a, b) => a.afterSubmits - b.afterSubmits).map((s) => ({ ...s, afterSubmits: s.afterSubmits + accepted }));
    latencies = [];
    send({ type: 'armed' });
  } else if (m.type === 'report') {
    const answer = (): void => {
      if (watching > 0) return void setTimeout(answer, 5);
      send({ type: 'stops', latencies, unfired: armed.length });
      armed = [];
      db?.close();
      db = null;
    };
    answer();
  } else if (m.type === 'exit') {
    void sim.close().then(() => process.exit(0));
  }
});

const port = await sim.listen();
send({ type: 'ready', port });
