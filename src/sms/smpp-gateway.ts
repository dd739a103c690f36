import smpp, { type PDU, type Session } from 'smpp';
import { AppError, isAppError } from '../domain/errors.ts';
import type { Logger } from '../domain/ports/logger.ts';
import type {
  DeliveryReceipt,
  GatewayStatus,
  InboundSms,
  OutboundSms,
  SmsGateway,
  SubmitOptions,
  SubmitResult,
  WriteVerdict,
} from '../domain/ports/sms-gateway.ts';
import { DeliverSmHandler } from './deliver-sm-handler.ts';
import { SmppLinkKeeper } from './smpp-link-keeper.ts';
import { SmppRequestTracker } from './smpp-request-tracker.ts';
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
const ESME_RINVMSGLEN = 0x01;
const ESME_RINVCMDLEN = 0x02;
const ESME_RINVCMDID = 0x03;
/**
 * The largest incoming PDU we take (the package's own default). A larger one is answered with an error
 * and skipped, and the link stays up: dropping the link without an answer made an SMSC that redelivers
 * loop.
 */
const MAX_INBOUND_PDU_BYTES = 16 * 1024;
/**
 * The package's read limit (`PDU.maxLength`, one setting for the whole process), raised so that it
 * reads a PDU between our limit and this one instead of throwing and stopping for good. A deliver_sm's
 * text is at most 64 KiB (`message_payload`'s 16-bit length), so a real PDU is far below; a length beyond
 * it is not SMPP, and the link is dropped as for any unreadable PDU (src/sms/README.md).
 */
const PACKAGE_READ_LIMIT_BYTES = 1024 * 1024;

const NOOP_LOGGER: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => NOOP_LOGGER };

/**
 * `SmsGateway` over SMPP 3.4 with the `smpp` package (0.5.1), which gives us PDU coding and a socket
 * but no window, timeouts, enquire_link answers, deliver_sm answers or reconnects: all here
 * or in the collaborators below (request tracking, link keeping, deliver_sm handling).
 * One transceiver bind; `submit` is pipelined up to `window` outstanding PDUs at `tps`.
 */
export class SmppGateway implements SmsGateway {
  private readonly cfg: SmppGatewayConfig;
  private readonly log: Logger;
  private session: Session | null = null;
  private state: GatewayStatus = 'down';
  private readonly requests: SmppRequestTracker;
  private readonly link: SmppLinkKeeper;
  private readonly deliverSm: DeliverSmHandler;
  private readonly submitWindow: SubmitWindow;
  private readonly statusListeners = new Set<(s: GatewayStatus) => void>();
  private concatRef = Math.floor(Math.random() * 256);
  private startWaiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private stopping = false;
  /** Number of bind attempts so far (for tests and `doctor`). */
  bindAttempts = 0;
  lastError: AppError | null = null;

  constructor(cfg: SmppGatewayConfig, deps: { logger?: Logger } = {}) {
    this.cfg = cfg;
    this.log = (deps.logger ?? NOOP_LOGGER).child({ component: 'smpp' });
    this.submitWindow = new SubmitWindow(cfg.window, cfg.tps);
    this.requests = new SmppRequestTracker(cfg.responseTimeout);
    this.link = new SmppLinkKeeper(cfg, this.log);
    this.deliverSm = new DeliverSmHandler(this.log);
    if (smpp.PDU.maxLength < PACKAGE_READ_LIMIT_BYTES) smpp.PDU.maxLength = PACKAGE_READ_LIMIT_BYTES;
  }

  status(): GatewayStatus {
    return this.state;
  }

  onStatus(listener: (s: GatewayStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onInbound(handler: (sms: InboundSms) => Promise<void> | void): void {
    this.deliverSm.onInbound(handler);
  }

  onReceipt(handler: (r: DeliveryReceipt) => Promise<void> | void): void {
    this.deliverSm.onReceipt(handler);
  }

  /** Free submit slots right now (the dispatcher claims no more messages than this). */
  freeSlots(): number {
    return this.state === 'up' ? this.submitWindow.free() : 0;
  }

  /** Whether a reconnect is scheduled (none when refused, stopped, or up). */
  reconnectScheduled(): boolean {
    return this.link.reconnectScheduled();
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
    else if (!this.session && !this.link.reconnectScheduled()) this.connect();
    return p;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.link.cancelReconnect();
    const s = this.session;
    if (s && this.state === 'up') {
      // SMPP 3.4 §4.2: unbind politely, but do not wait longer than one response timeout.
      await this.requests.request(s, 'unbind', {}).catch(() => undefined);
    }
    if (s) await new Promise<void>((r) => (s.socket.destroyed ? r() : s.destroy(() => r())));
    this.teardown(new AppError('SMS.NOT_CONNECTED', 'SMPP gateway stopped', { retryable: true }));
    this.submitWindow.dispose();
    this.setState('stopped');
    this.settleStart(new AppError('SMS.NOT_CONNECTED', 'SMPP gateway stopped before it was bound', { retryable: true }));
  }

  /**
   * Sends the text's PDUs one after the other (README.md, "No part after STOP"): each waits for a window slot and a TPS token
   * (urgent texts first), then `mayWrite` is asked and the PDU written as its answer arrives, so
   * a STOP committed while the text waited withholds every PDU not yet on the wire. PDUs in
   * `opts.accepted` are skipped: a retry resends only what the SMSC did not accept, with the same
   * concatenation reference.
   */
  async submit(sms: OutboundSms, opts: SubmitOptions = {}): Promise<SubmitResult> {
    const built = buildSubmits(sms, this.cfg, opts.concatRef ?? this.concatRef++);
    const ids: string[] = [];
    const last = built.pdus.length;
    for (const [i, params] of built.pdus.entries()) {
      const part = i + 1;
      const earlier = opts.accepted?.get(part);
      if (earlier !== undefined) {
        ids.push(earlier);
        continue;
      }
      const session = this.upSession();
      await this.submitWindow.acquire(opts.urgent === true);
      this.upSession(session);
      const verdict = opts.mayWrite ? await this.mayWrite(opts.mayWrite) : null;
      if (verdict !== null && !verdict.allowed) {
        verdict.release?.();
        this.submitWindow.release();
        return { messageIds: ids, parts: built.parts, encoding: built.encoding, withheldFromPart: part };
      }
      let resp: PDU;
      try {
        let sent: Promise<PDU>;
        try {
          // The link may have dropped while the check was answered; from here to the write nothing awaits.
          const live = this.upSession(session);
          sent = this.requests.request(live, 'submit_sm', params, () => this.submitWindow.release());
        } finally {
          // The PDU is on the socket (or could not be written): what the check held ends now (a STOP waiting on it commits).
          verdict?.release?.();
        }
        resp = await sent;
      } catch (e) {
        throw isAppError(e) ? e : new AppError('SMS.SUBMIT_REJECTED', 'submit_sm could not be sent', { retryable: true, cause: e });
      }
      if (resp.command_status !== ESME_ROK) throw submitError(resp.command_status, { part, parts: built.parts });
      const id = String(resp.message_id ?? '');
      ids.push(id);
      if (part < last) await opts.onPartAccepted?.(part, id);
    }
    return { messageIds: ids, parts: built.parts, encoding: built.encoding, withheldFromPart: null };
  }

  /** The caller's check; one that fails (its database is gone) releases the slot and is a retryable failure. */
  private async mayWrite(check: () => Promise<WriteVerdict>): Promise<WriteVerdict> {
    try {
      return await check();
    } catch (e) {
      this.submitWindow.release();
      throw new AppError('SMS.SUBMIT_REJECTED', 'could not check whether the text may still be sent', { retryable: true, cause: e });
    }
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
      // client near 470 submits/s (`npm run bench:sms`, src/sms/README.md "Throughput"); with it ~1,840/s.
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
      resp = await this.requests.request(session, 'bind_transceiver', {
        system_id: this.cfg.systemId,
        password: this.cfg.password ?? '',
        system_type: this.cfg.systemType,
        interface_version: INTERFACE_VERSION_3_4,
      });
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
    this.lastError = null;
    this.submitWindow.reset();
    this.setState('up');
    this.log.info({ host: this.cfg.host, port: this.cfg.port }, 'SMPP bound (transceiver)');
    this.link.linkUp(() => {
      this.requests.request(session, 'enquire_link', {}).catch(() => session.destroy());
    });
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
    this.link.scheduleReconnect(wasUp, () => {
      if (!this.stopping) this.connect();
    });
  }

  private teardown(err: AppError): void {
    this.link.stopEnquire();
    this.requests.failAll(err);
    this.submitWindow.failAll(new AppError('SMS.NOT_CONNECTED', 'SMPP connection lost before the submit was sent', { retryable: true }));
    this.submitWindow.reset();
  }

  private onPdu(session: Session, pdu: PDU): void {
    if (pdu.isResponse()) {
      this.requests.settle(pdu);
      return;
    }
    if (pdu.command_length > MAX_INBOUND_PDU_BYTES) {
      this.log.warn({ command: pdu.command, commandLength: pdu.command_length, limit: MAX_INBOUND_PDU_BYTES }, 'incoming PDU too large; answered with an error');
      const answer =
        pdu.command === 'deliver_sm'
          ? pdu.response({ command_status: ESME_RINVMSGLEN })
          : new smpp.PDU('generic_nack', { sequence_number: pdu.sequence_number, command_status: ESME_RINVCMDLEN });
      this.requests.send(session, answer);
      return;
    }
    switch (pdu.command) {
      case 'enquire_link':
        this.requests.send(session, pdu.response());
        return;
      case 'deliver_sm':
        void this.onDeliverSm(session, pdu);
        return;
      case 'unbind':
        this.requests.send(session, pdu.response());
        session.close();
        return;
      default:
        // SMPP 3.4 §3.3: an unknown or unexpected request gets generic_nack.
        this.requests.send(session, new smpp.PDU('generic_nack', { sequence_number: pdu.sequence_number, command_status: ESME_RINVCMDID }));
    }
  }

  private async onDeliverSm(session: Session, pdu: PDU): Promise<void> {
    const status = await this.deliverSm.handle(pdu);
    if (!session.socket.destroyed) this.requests.send(session, pdu.response({ command_status: status }));
  }
}
