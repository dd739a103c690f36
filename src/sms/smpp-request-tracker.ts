import smpp, { type PDU, type Session } from 'smpp';
import { AppError } from '../domain/errors.ts';

interface Pending {
  readonly resolve: (pdu: PDU) => void;
  readonly reject: (e: unknown) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Request/response matching over one SMPP session: the `smpp` package sends PDUs but keeps no record
 * of what is outstanding, so sequence numbers, per-request timeouts and write coalescing live here.
 */
export class SmppRequestTracker {
  private readonly pending = new Map<number, Pending>();
  private readonly corked = new WeakSet<object>();

  /** `responseTimeoutMs`: how long one request waits for its `_resp` (config `smpp.responseTimeout`). */
  constructor(private readonly responseTimeoutMs: number) {}

  /**
   * Writes a PDU, coalescing every PDU written in the same tick into one socket write: the package
   * writes each PDU on its own, and with TCP_NODELAY on, each is a syscall and a TCP segment (a
   * pipelined burst of submits and receipt answers is several per tick; `npm run bench:sms`).
   * Uncorking on the next tick keeps the latency added to microseconds.
   */
  send(session: Session, pdu: PDU): boolean {
    const socket = session.socket;
    if (!this.corked.has(socket)) {
      this.corked.add(socket);
      socket.cork();
      process.nextTick(() => {
        this.corked.delete(socket);
        socket.uncork();
      });
    }
    return session.send(pdu);
  }

  /**
   * Sends a request and resolves with its response, or rejects on timeout. `onSettled` runs exactly
   * once however the request ends (the gateway frees a submit-window slot there).
   */
  request(session: Session, command: string, params: Record<string, unknown>, onSettled: () => void = () => {}): Promise<PDU> {
    return new Promise<PDU>((resolve, reject) => {
      let pdu: PDU;
      let sent: boolean;
      try {
        pdu = new smpp.PDU(command, params);
        sent = this.send(session, pdu);
      } catch (e) {
        onSettled();
        reject(new AppError('SMS.SUBMIT_REJECTED', `${command} could not be encoded`, { retryable: false, cause: e }));
        return;
      }
      if (!sent) {
        onSettled();
        reject(new AppError('SMS.NOT_CONNECTED', 'SMPP socket is not writable', { retryable: true }));
        return;
      }
      const seq = pdu.sequence_number;
      const timer = setTimeout(() => {
        if (!this.pending.delete(seq)) return;
        onSettled();
        reject(new AppError('SMS.SUBMIT_TIMEOUT', `no ${command}_resp within ${this.responseTimeoutMs} ms`, { retryable: true, details: { maybeSent: true } }));
      }, this.responseTimeoutMs);
      this.pending.set(seq, {
        timer,
        resolve: (r) => {
          onSettled();
          resolve(r);
        },
        reject: (e) => {
          onSettled();
          reject(e);
        },
      });
    });
  }

  /** Hands a response PDU to its request; a late answer to a request already timed out is dropped. */
  settle(pdu: PDU): void {
    const p = this.pending.get(pdu.sequence_number);
    if (!p) return;
    this.pending.delete(pdu.sequence_number);
    clearTimeout(p.timer);
    p.resolve(pdu);
  }

  /** Rejects every outstanding request (the link is gone; their answers will never come). */
  failAll(err: AppError): void {
    for (const [seq, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(seq);
      p.reject(err);
    }
  }
}
