import { connect as netConnect } from 'node:net';
import { AppError } from '../../domain/errors.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import { EslConnection } from './esl-connection.ts';

/**
 * Inbound-mode client (we connect to FreeSWITCH's event socket, 8021) for health checks and `api`
 * commands: `doctor` and the engine's liveness monitor. Protocol as in trace 08: FreeSWITCH sends
 * `auth/request` at once; `auth <password>` gets `+OK accepted` or `-ERR invalid` followed by a
 * disconnect notice and FIN; a connection that never authenticates is closed after ~25 s.
 */
export interface EslInboundOptions {
  readonly host: string;
  readonly port: number;
  readonly password: string;
  readonly logger: Logger;
  /** Loopback connects and `auth/request` take ~1 ms (08); 5 s covers a remote host on a bad day. */
  readonly connectTimeoutMs?: number;
  readonly commandTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

function unavailable(message: string, cause?: unknown, details: Record<string, unknown> = {}): AppError {
  return new AppError('TELEPHONY.ENGINE_UNAVAILABLE', message, { retryable: true, cause, details });
}

export class EslInboundClient {
  private constructor(private readonly conn: EslConnection) {}

  static connect(opts: EslInboundOptions): Promise<EslInboundClient> {
    const where = { host: opts.host, port: opts.port };
    return new Promise<EslInboundClient>((resolve, reject) => {
      const socket = netConnect({ host: opts.host, port: opts.port });
      const conn = new EslConnection(socket, {
        logger: opts.logger,
        commandTimeoutMs: opts.commandTimeoutMs,
        closedError: () => unavailable('the FreeSWITCH event socket closed', undefined, where),
      });
      let settled = false;
      const fail = (err: AppError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      const timer = setTimeout(
        () => fail(unavailable('FreeSWITCH event socket did not ask for authentication in time', undefined, where)),
        opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      );
      socket.once('error', (err: NodeJS.ErrnoException) =>
        fail(unavailable('cannot reach the FreeSWITCH event socket', err, { ...where, errno: err.code })),
      );
      conn.onClose(() => fail(unavailable('FreeSWITCH closed the event socket during login', undefined, where)));
      const off = conn.onFrame((frame) => {
        if (frame.contentType !== 'auth/request') return;
        off();
        conn.command({ line: `auth ${opts.password}` }).then(
          () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve(new EslInboundClient(conn));
          },
          (err: AppError) => fail(err),
        );
      });
    });
  }

  /** `api <command>`: the response body; `-ERR` becomes an AppError. */
  api(command: string): Promise<string> {
    return this.conn.api(command);
  }

  get closed(): boolean {
    return this.conn.closed;
  }

  onClose(fn: () => void): () => void {
    return this.conn.onClose(fn);
  }

  /** `exit` (FreeSWITCH answers `+OK bye`, a notice, then FIN), then the socket is destroyed. */
  async close(): Promise<void> {
    if (this.conn.closed) return;
    await this.conn.command({ line: 'exit' }).catch(() => undefined);
    this.conn.destroy();
  }
}

export interface FreeswitchHealth {
  /** `api version`, e.g. `FreeSWITCH Version 1.10.12-release~64bit ( 64bit)`. */
  readonly version: string;
  /** First lines of `api status` (`UP 0 years, …`, `FreeSWITCH (Version …) is ready`). */
  readonly status: string;
  readonly ready: boolean;
}

/** What `doctor` asks: can we log in, which version, is it ready. Throws AppError when unreachable. */
export async function checkFreeswitch(opts: EslInboundOptions): Promise<FreeswitchHealth> {
  const client = await EslInboundClient.connect(opts);
  try {
    const version = (await client.api('version')).trim();
    const status = (await client.api('status')).trim();
    return { version, status, ready: /is ready/.test(status) };
  } finally {
    await client.close();
  }
}
