import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature, WebhookReplayGuard } from '../../src/domain/notify/webhook-signature.ts';

/**
 * An integrator's webhook receiver on a port-0 socket, written the way our docs tell them to: verify the
 * signature on the raw body, refuse stale timestamps and replays. `script` decides what to do with each
 * verified request (answer with a status, or hold it until released).
 */
export type Behaviour = { kind: 'status'; status: number } | { kind: 'hold' };

export interface ReceivedHook {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly verdict: 'accepted' | 'missing-headers' | 'bad-timestamp' | 'stale' | 'bad-signature' | 'replay';
  readonly answered: number | 'held';
}

export interface Receiver {
  readonly url: string;
  readonly received: ReceivedHook[];
  /** Resolves when the receiver starts holding a request (for ordering assertions). */
  onHold(): Promise<void>;
  releaseHeld(status?: number): void;
  close(): Promise<void>;
}

export async function startReceiver(secret: string, script: (n: number) => Behaviour, now: () => number = Date.now): Promise<Receiver> {
  const received: ReceivedHook[] = [];
  const guard = new WebhookReplayGuard();
  const held: ServerResponse[] = [];
  let holdWaiters: (() => void)[] = [];
  let verifiedCount = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const v = verifyWebhookSignature(secret, req.headers, body, now());
      let verdict: ReceivedHook['verdict'];
      if (!v.ok) verdict = v.reason;
      else verdict = guard.accept(v, now()) ? 'accepted' : 'replay';
      if (verdict !== 'accepted') {
        received.push({ headers: req.headers, body, verdict, answered: 401 });
        res.writeHead(401).end(verdict);
        return;
      }
      const b = script(verifiedCount++);
      if (b.kind === 'hold') {
        received.push({ headers: req.headers, body, verdict, answered: 'held' });
        held.push(res);
        const w = holdWaiters;
        holdWaiters = [];
        for (const f of w) f();
        return;
      }
      received.push({ headers: req.headers, body, verdict, answered: b.status });
      res.writeHead(b.status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/callkeeper`,
    received,
    onHold: () => new Promise<void>((r) => holdWaiters.push(r)),
    releaseHeld(status = 200) {
      for (const res of held.splice(0)) if (!res.destroyed) res.writeHead(status).end();
    },
    async close() {
      for (const res of held.splice(0)) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
