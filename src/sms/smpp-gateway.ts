import smpp, { type PDU, type Session } from 'smpp';
import { AppError, isAppError } from '../domain/errors.ts';
import type { Logger } from '../domain/ports/logger.ts';
import type {
  DeliveryReceipt,
  GatewayStatus,
  InboundSms,
  OutboundSms,
  SmsGateway,
  SubmitResult,
} from '../domain/ports/sms-gateway.ts';
import { readDeliverSm, type DeliverSmFields } from './deliver-sm-reader.ts';
import { isReceipt, parseReceipt } from './delivery-receipt-parser.ts';
import { bindError, BIND_CREDENTIAL_ERRORS, submitError } from './smpp-status-table.ts';
import { buildSubmits, type SubmitAddressing } from './submit-sm-builder.ts';
import { SubmitWindow } from './submit-window.ts';

/** The config slice (`smpp` in config-schema.ts) plus reconnect tuning. Durations are milliseconds. */
export interface SmppGatewayConfig extends SubmitAddressing {
  readonly host: string;
  readonly port: number;
  readonly systemId: string;
  readonly password?: string | undefined;
  readonly systemType: string;
  readonly enquireLinkInS: number;
  readonly responseTimeout: number;
  readonly window: number;
  readonly tps: number;
  /** First reconnect delay; doubles per failed attempt up to `reconnectMaxMs`, with ±50 % jitter. */
  readonly reconnectInitialMs?: number;
  readonly reconnectMaxMs?: number;
}

/** SMPP 3.4: we speak 3.4 (the package would announce 0x50 = 5.0, which many SMSCs then hold us to). */
const INTERFACE_VERSION_3_4 = 0x34;
const ESME_ROK = 0;
const ESME_RINVCMDID = 0x03;
/** deliver_sm we could not store: "temporary application error", so the SMSC delivers it again later. */
const ESME_RX_T_APPN = 0x64;
/** Parts of an inbound concatenated text older than this are dropped (3GPP leaves reassembly time to us). */
const CONCAT_TTL_MS = 5 * 60_000;

interface Pending {
  readonly resolve: (pdu: PDU) => void;
  readonly reject: (e: unknown) => void;
  readonly timer: NodeJS.Timeout;
  readonly isSubmit: boolean;
}

const NOOP_LOGGER: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => NOOP_LOGGER };

/**
 * `SmsGateway` over SMPP 3.4 with the `smpp` package (0.5.1), which gives us PDU coding and a socket
 * but no window, timeouts, enquire_link answers, deliver_sm answers or reconnects (issue 5): all here.
 * One transceiver bind; `submit` is pipelined up to `window` outstanding PDUs at `tps`.
 */
export class SmppGateway implements SmsGateway {
  private readonly cfg: SmppGatewayConfig;
  private readonly log: Logger;
  private session: Session | null = null;
  private state: GatewayStatus = 'down';
  private readonly pending = new Map<number, Pending>();
  private readonly submitWindow: SubmitWindow;
  private readonly statusListeners = new Set<(s: GatewayStatus) => void>();
  private inboundHandler: ((sms: InboundSms) => Promise<void> | void) | null = null;
  private receiptHandler: ((r: DeliveryReceipt) => Promise<void> | void) | null = null;
  private enquireTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private concatRef = Math.floor(Math.random() * 256);
  private readonly concatParts = new Map<string, { at: number; parts: Map<number, string>; total: number }>();
  private startWaiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private stopping = false;
  private readonly corked = new WeakSet<object>();
  /** Number of bind attempts so far (for tests and `doctor`). */
  bindAttempts = 0;
  lastError: AppError | null = null;

  constructor(cfg: SmppGatewayConfig, deps: { logger?: Logger } = {}) {
    this.cfg = cfg;
    this.log = (deps.logger ?? NOOP_LOGGER).child({ component: 'smpp' });
    this.submitWindow = new SubmitWindow(cfg.window, cfg.tps);
  }

  status(): GatewayStatus {
    return this.state;
  }

  onStatus(listener: (s: GatewayStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onInbound(handler: (sms: InboundSms) => Promise<void> | void): void {
    this.inboundHandler = handler;
  }

  onReceipt(handler: (r: DeliveryReceipt) => Promise<void> | void): void {
    this.receiptHandler = handler;
  }

  /** Free submit slots right now (the dispatcher claims no more messages than this). */
  freeSlots(): number {
    return this.state === 'up' ? this.submitWindow.free() : 0;
  }

  /** When the next reconnect is due, or null when none is scheduled (refused, stopped, or up). */
  reconnectScheduled(): boolean {
    return this.reconnectTimer !== null;
  }

  /**
   * Connects and binds. Resolves on the first successful bind; rejects with `SMS.BIND_REFUSED` when
   * the SMSC refuses our credentials (no retries then). Other failures are retried with backoff in the
   * background and do not settle the promise, so a caller should not block start-up on it.
   */
  start(): Promise<void> {
    this.stopping = false;
    const p = new Promise<void>((resolve, reject) => this.startWaiters.push({ resolve, reject }));
    if (this.state === 'up') this.settleStart(null);
    else if (!this.session && !this.reconnectTimer) this.connect();
    return p;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const s = this.session;
    if (s && this.state === 'up') {
      // SMPP 3.4 §4.2: unbind politely, but do not wait longer than one response timeout.
      await this.request(s, 'unbind', {}, false).catch(() => undefined);
    }
    if (s) await new Promise<void>((r) => (s.socket.destroyed ? r() : s.destroy(() => r())));
    this.teardown(new AppError('SMS.NOT_CONNECTED', 'SMPP gateway stopped', { retryable: true }));
    this.submitWindow.dispose();
    this.setState('stopped');
    this.settleStart(new AppError('SMS.NOT_CONNECTED', 'SMPP gateway stopped before it was bound', { retryable: true }));
  }

  async submit(sms: OutboundSms): Promise<SubmitResult> {
    const built = buildSubmits(sms, this.cfg, this.concatRef++);
    const ids: string[] = [];
    for (const params of built.pdus) {
      const session = this.upSession();
      await this.submitWindow.acquire();
      let resp: PDU;
      try {
        resp = await this.request(this.upSession(session), 'submit_sm', params, true);
      } catch (e) {
        // Parts already accepted stay accepted: a retry resends the whole text (see README guarantee).
        throw isAppError(e) ? e : new AppError('SMS.SUBMIT_REJECTED', 'submit_sm could not be sent', { retryable: true, cause: e });
      }
      if (resp.command_status !== ESME_ROK) throw submitError(resp.command_status, { part: ids.length + 1, parts: built.parts });
      ids.push(String(resp.message_id ?? ''));
    }
    return { messageIds: ids, parts: built.parts, encoding: built.encoding };
  }

  private upSession(expected?: Session): Session {
    const s = this.session;
    if (!s || this.state !== 'up' || (expected && s !== expected)) {
      if (expected) this.submitWindow.release();
      throw new AppError('SMS.NOT_CONNECTED', 'SMPP gateway is not bound', { retryable: true });
    }
    return s;
  }

  private setState(s: GatewayStatus): void {
    if (this.state === s) return;
    this.state = s;
    for (const l of this.statusListeners) l(s);
  }

  private settleStart(err: unknown): void {
    for (const w of this.startWaiters.splice(0)) (err ? w.reject(err) : w.resolve());
  }

  private connect(): void {
    this.setState('connecting');
    this.bindAttempts++;
    const session = smpp.connect({ host: this.cfg.host, port: this.cfg.port });
    this.session = session;
    session.on('connect', () => {
      // The package never disables Nagle: with receipts flowing, Nagle + delayed ACK cap a sequential
      // client near 470 submits/s (issue 5 measurement); with it ~1,840/s.
      session.socket.setNoDelay(true);
      void this.bind(session);
    });
    session.on('pdu', (pdu: PDU) => this.onPdu(session, pdu));
    session.on('error', (e: Error) => {
      // Socket errors and undecodable PDUs (the package stops reading after a parse error) end the link.
      this.log.warn({ err: e.message }, 'SMPP link error; dropping the connection');
      session.destroy();
    });
    session.on('close', () => this.onClose(session));
  }

  private async bind(session: Session): Promise<void> {
    let resp: PDU;
    try {
      resp = await this.request(session, 'bind_transceiver', {
        system_id: this.cfg.systemId,
        password: this.cfg.password ?? '',
        system_type: this.cfg.systemType,
        interface_version: INTERFACE_VERSION_3_4,
      }, false);
    } catch {
      session.destroy();
      return;
    }
    if (resp.command_status !== ESME_ROK) {
      const err = bindError(resp.command_status);
      this.lastError = err;
      this.log.error({ commandStatus: resp.command_status }, err.message);
      if (BIND_CREDENTIAL_ERRORS.has(resp.command_status)) {
        this.stopping = true; // no retry storm: the same credentials will be refused again
        this.setState('refused');
        this.settleStart(err);
      }
      session.destroy();
      return;
    }
    this.failures = 0;
    this.lastError = null;
    this.submitWindow.reset();
    this.setState('up');
    this.log.info({ host: this.cfg.host, port: this.cfg.port }, 'SMPP bound (transceiver)');
    this.enquireTimer = setInterval(() => {
      // A link that cannot answer enquire_link within the response timeout is dead even if TCP says not.
      this.request(session, 'enquire_link', {}, false).catch(() => session.destroy());
    }, this.cfg.enquireLinkInS * 1000);
    this.settleStart(null);
  }

  private onClose(session: Session): void {
    if (this.session !== session) return;
    this.session = null;
    const wasUp = this.state === 'up';
    this.teardown(
      new AppError('SMS.NOT_CONNECTED', 'SMPP connection lost with the request outstanding (it may have been accepted)', {
        retryable: true,
        details: { maybeSent: true },
      }),
    );
    if (this.state === 'refused' || this.stopping) return;
    this.setState('down');
    if (wasUp) this.failures = 0;
    const base = Math.min(this.cfg.reconnectMaxMs ?? 60_000, (this.cfg.reconnectInitialMs ?? 1_000) * 2 ** this.failures);
    const delay = Math.round(base / 2 + (Math.random() * base) / 2);
    this.failures++;
    this.log.warn({ delayMs: delay, attempt: this.failures }, 'SMPP link down; reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopping) this.connect();
    }, delay);
  }

  private teardown(err: AppError): void {
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    this.enquireTimer = null;
    for (const [seq, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(seq);
      p.reject(err);
    }
    this.submitWindow.failAll(new AppError('SMS.NOT_CONNECTED', 'SMPP connection lost before the submit was sent', { retryable: true }));
    this.submitWindow.reset();
  }

  /**
   * Writes a PDU, coalescing every PDU written in the same tick into one socket write: the package
   * writes each PDU on its own, and with TCP_NODELAY on, each is a syscall and a TCP segment (a
   * pipelined burst of submits and receipt answers is several per tick; `npm run bench:sms`).
   * Uncorking on the next tick keeps the latency added to microseconds.
   */
  private send(session: Session, pdu: PDU): boolean {
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

  /** Sends a request and resolves with its response, or rejects on timeout (per-request, `responseTimeout`). */
  private request(session: Session, command: string, params: Record<string, unknown>, isSubmit: boolean): Promise<PDU> {
    return new Promise<PDU>((resolve, reject) => {
      const done = (): void => {
        if (isSubmit) this.submitWindow.release();
      };
      let pdu: PDU;
      let sent: boolean;
      try {
        pdu = new smpp.PDU(command, params);
        sent = this.send(session, pdu);
      } catch (e) {
        done();
        reject(new AppError('SMS.SUBMIT_REJECTED', `${command} could not be encoded`, { retryable: false, cause: e }));
        return;
      }
      if (!sent) {
        done();
        reject(new AppError('SMS.NOT_CONNECTED', 'SMPP socket is not writable', { retryable: true }));
        return;
      }
      const seq = pdu.sequence_number;
      const timer = setTimeout(() => {
        if (!this.pending.delete(seq)) return;
        done();
        reject(new AppError('SMS.SUBMIT_TIMEOUT', `no ${command}_resp within ${this.cfg.responseTimeout} ms`, { retryable: true, details: { maybeSent: true } }));
      }, this.cfg.responseTimeout);
      this.pending.set(seq, {
        timer,
        isSubmit,
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
    });
  }

  private onPdu(session: Session, pdu: PDU): void {
    if (pdu.isResponse()) {
      const p = this.pending.get(pdu.sequence_number);
      if (!p) return; // late answer to a request we already timed out
      this.pending.delete(pdu.sequence_number);
      clearTimeout(p.timer);
      p.resolve(pdu);
      return;
    }
    switch (pdu.command) {
      case 'enquire_link':
        this.send(session, pdu.response());
        return;
      case 'deliver_sm':
        void this.onDeliverSm(session, pdu);
        return;
      case 'unbind':
        this.send(session, pdu.response());
        session.close();
        return;
      default:
        // SMPP 3.4 §3.3: an unknown or unexpected request gets generic_nack.
        this.send(session, new smpp.PDU('generic_nack', { sequence_number: pdu.sequence_number, command_status: ESME_RINVCMDID }));
    }
  }

  private async onDeliverSm(session: Session, pdu: PDU): Promise<void> {
    let status = ESME_ROK;
    try {
      const f = readDeliverSm(pdu);
      if (isReceipt(f)) {
        const r = parseReceipt(f);
        if (r && this.receiptHandler) await this.receiptHandler(r);
      } else {
        const text = this.reassemble(f);
        if (text !== null) {
          if (this.inboundHandler) await this.inboundHandler({ from: f.from, to: f.to, text, receivedAt: Date.now() });
          else this.log.warn({}, 'inbound text with no handler registered');
        }
      }
    } catch (e) {
      this.log.error({ err: (e as Error).message }, 'could not handle deliver_sm; asking the SMSC to retry');
      status = ESME_RX_T_APPN;
    }
    if (!session.socket.destroyed) this.send(session, pdu.response({ command_status: status }));
  }

  /** Returns the whole text, or null while parts of a concatenated text are still missing. */
  private reassemble(f: DeliverSmFields): string | null {
    if (!f.concat || f.concat.total <= 1) return f.text;
    const now = Date.now();
    for (const [k, v] of this.concatParts) if (now - v.at > CONCAT_TTL_MS) this.concatParts.delete(k);
    const key = `${f.from}|${f.to}|${f.concat.ref}|${f.concat.total}`;
    const entry = this.concatParts.get(key) ?? { at: now, parts: new Map<number, string>(), total: f.concat.total };
    entry.parts.set(f.concat.seq, f.text);
    this.concatParts.set(key, entry);
    if (entry.parts.size < entry.total) return null;
    this.concatParts.delete(key);
    return [...entry.parts.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]).join('');
  }
}
