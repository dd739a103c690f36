import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/**
 * Ports for the engines' and callers' configs. The engines and SIPp take a port number, not port 0, so
 * a port the kernel just handed out (and that nothing holds now) is written into their config. The
 * machine is shared: another process could take it in between, which shows as a bind error in the
 * engine's log, not as a wrong test result.
 */
export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const a = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!a || typeof a !== 'object') throw new Error('no TCP port');
  return a.port;
}

async function udpBind(port: number): Promise<{ port: number; close: () => Promise<void> } | null> {
  const s = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(port, '127.0.0.1', () => resolve());
    });
  } catch {
    s.close();
    return null;
  }
  return { port: s.address().port, close: () => new Promise((r) => s.close(() => r())) };
}

/**
 * `count` free UDP ports. With `mediaPairs`, each port after the first is even and port+2 is free too
 * (SIPp binds its media port and media port + 2).
 */
export async function freeUdpPorts(count: number, opts: { mediaPairs?: boolean } = {}): Promise<number[]> {
  const held: Array<{ port: number; close: () => Promise<void> }> = [];
  const out: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      if (i === 0 || !opts.mediaPairs) {
        const s = await udpBind(0);
        if (!s) throw new Error('no UDP port');
        held.push(s);
        out.push(s.port);
        continue;
      }
      let found = false;
      for (let attempt = 0; attempt < 50 && !found; attempt++) {
        const p = 20_000 + 4 * Math.floor(Math.random() * 2_400);
        const a = await udpBind(p);
        if (!a) continue;
        const b = await udpBind(p + 2);
        if (!b) {
          await a.close();
          continue;
        }
        held.push(a, b);
        out.push(p);
        found = true;
      }
      if (!found) throw new Error('no free even UDP port pair for SIPp media');
    }
    return out;
  } finally {
    for (const h of held) await h.close();
  }
}
