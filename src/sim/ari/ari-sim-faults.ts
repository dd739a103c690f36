import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What a faulty Asterisk does with a REST request, for tests of the adapter's retries:
 * - `status-500`: answers `500 {"message": "Internal Server Error"}`, the body Asterisk's HTTP server
 *   gives when a resource handler fails (test/fixtures/asterisk/traces/README.md, point 6: every error
 *   body is `{"message": ...}`);
 * - `no-answer`: reads the request and never answers (a stuck Asterisk taskprocessor: the bench saw
 *   `record` and then `hangup` unanswered for 5 s under load); the connection is left open;
 * - `drop`: closes the TCP connection without a response (Asterisk killed or the link cut).
 * Nothing happens to the channel: the request is lost before Asterisk acts on it.
 */
export type AriSimFaultKind = 'status-500' | 'no-answer' | 'drop';

export interface AriSimFault {
  readonly method: string;
  /** Matched against the path after `/ari` (`/channels/<id>`). */
  readonly path: RegExp;
  readonly kind: AriSimFaultKind;
  /** How many matching requests fail; the ones after it are served normally. */
  readonly times: number;
}

interface ArmedFault {
  readonly fault: AriSimFault;
  left: number;
}

/** The faults armed on a simulator; each request that matches one uses up one of its `times`. */
export class AriSimFaults {
  private readonly armed: ArmedFault[] = [];
  private readonly held = new Set<ServerResponse>();

  arm(fault: AriSimFault): void {
    if (fault.times > 0) this.armed.push({ fault, left: fault.times });
  }

  /** The fault this request meets, if any (counted as used). */
  take(method: string, ariPath: string): AriSimFaultKind | null {
    const a = this.armed.find((x) => x.left > 0 && x.fault.method === method && x.fault.path.test(ariPath));
    if (!a) return null;
    a.left--;
    return a.fault.kind;
  }

  /** Carries out `kind` on the request; the response is left unanswered or answered 500. */
  apply(kind: AriSimFaultKind, req: IncomingMessage, res: ServerResponse): void {
    if (kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (kind === 'no-answer') {
      this.held.add(res);
      res.once('close', () => this.held.delete(res));
      return;
    }
    const body = JSON.stringify({ message: 'Internal Server Error' });
    res.writeHead(500, { 'Content-type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }).end(body);
  }

  /** Requests left unanswered, for assertions. */
  heldCount(): number {
    return this.held.size;
  }
}
