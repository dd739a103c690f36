import pg from 'pg';

/** How long a lost listener waits before it connects again (the nodes poll meanwhile). */
const RECONNECT_MS = 2_000;

export interface OutboxWakeup {
  /** Resolves once the first LISTEN is in place (or failed: the node then relies on its poll until a reconnect works). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * LISTEN on `callkeeper_outbox` (NOTIFY'd at the commit of any insert into outbound_messages, by any node
 * or the CLI: migrations/pg-003-outbox-wakeup.ts), calling `onWake` so this node's dispatcher claims at
 * once instead of at its next poll. On its own connection (a pooled one would be handed to other work):
 * a lost connection is reported to `onError` and opened again after RECONNECT_MS; a notification missed
 * meanwhile only waits for the poll.
 */
export function listenForOutbox(connectionString: string, onWake: () => void, onError: (err: Error) => void): OutboxWakeup {
  let closed = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let firstReady: () => void = () => {};
  const ready = new Promise<void>((r) => (firstReady = r));

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString });
    client = c;
    c.on('notification', () => onWake());
    c.on('error', (err) => {
      onError(err);
      retry(c);
    });
    try {
      await c.connect();
      await c.query('LISTEN callkeeper_outbox');
      if (closed) await c.end();
      // Texts queued while nobody listened are claimed now.
      else onWake();
    } catch (err) {
      if (!closed) {
        onError(err instanceof Error ? err : new Error(String(err)));
        retry(c);
      }
    } finally {
      firstReady();
    }
  };
  const retry = (c: pg.Client): void => {
    if (closed || client !== c || timer) return;
    void c.end().catch(() => undefined);
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, RECONNECT_MS);
  };
  void connect();
  return {
    ready,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
