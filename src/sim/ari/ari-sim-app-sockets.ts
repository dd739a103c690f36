import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** The apps' event websockets (`/ari/events?app=…`) of the simulated Asterisk, and what reaches them. */
export class AriSimAppSockets {
  private readonly sockets = new Map<string, Set<WebSocket>>();
  /** Apps stay registered (deactivated) after their websocket goes, until Asterisk restarts (traces 08a). */
  private readonly registered = new Set<string>();
  private readonly pendingSends = new Set<Promise<void>>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private waiters: (() => void)[] = [];

  /** `app`: the Stasis app calls are sent to. */
  constructor(private readonly app: string) {}

  connected(): boolean {
    return (this.sockets.get(this.app)?.size ?? 0) > 0;
  }

  /** Resolves when an app websocket is connected (now or later). */
  whenConnected(): Promise<void> {
    if (this.connected()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  registeredApps(): string[] {
    return [...this.registered];
  }

  /** Asterisk restarted: registrations do not survive it. */
  forgetRegistrations(): void {
    this.registered.clear();
  }

  /** Completes an accepted upgrade and subscribes the socket to `apps`. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, apps: readonly string[]): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      for (const app of apps) {
        this.registered.add(app);
        let set = this.sockets.get(app);
        if (!set) this.sockets.set(app, (set = new Set()));
        set.add(ws);
      }
      ws.on('error', () => {});
      ws.on('close', () => {
        for (const app of apps) this.sockets.get(app)?.delete(ws);
      });
      if (this.connected()) {
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w();
      }
    });
  }

  /** Sends one event to the app's sockets; false when none is connected (the event is lost). */
  broadcast(text: string): boolean {
    const sockets = this.sockets.get(this.app);
    const delivered = (sockets?.size ?? 0) > 0;
    for (const ws of sockets ?? []) {
      const sent = new Promise<void>((resolve) => ws.send(text, () => resolve()));
      this.pendingSends.add(sent);
      void sent.then(() => this.pendingSends.delete(sent));
    }
    return delivered;
  }

  /**
   * Drops every websocket: 1006 = the TCP connection dies without a close frame, 1000 = a clean close.
   * Queued frames reach the client first, as Asterisk sends StasisEnd before dying.
   */
  async drop(code: 1000 | 1006): Promise<void> {
    await Promise.all([...this.pendingSends]);
    for (const set of this.sockets.values()) {
      for (const ws of set) {
        if (code === 1006) ws.terminate();
        else ws.close(1000, '');
      }
    }
    this.sockets.clear();
  }

  close(): void {
    for (const set of this.sockets.values()) for (const ws of set) ws.terminate();
    this.sockets.clear();
    this.wss.close();
  }
}
