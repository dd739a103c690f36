import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import smpp, { type PDU, type Session } from 'smpp';

/**
 * An in-process SMSC on the `smpp` package's server side, for tests, benchmarks and `callkeeper demo`.
 * It records every submit_sm decoded, answers with message ids, optionally sends delivery receipts,
 * can inject inbound texts (deliver_sm), and has fault knobs for the failures src/sms/README.md lists.
 */
export interface SmscOptions {
  /** Accept only this system_id/password (default: accept any). */
  readonly systemId?: string;
  readonly password?: string;
  /** Send a delivery receipt after each accepted submit that asked for one. */
  receipts: 'off' | 'tlv' | 'text' | 'both';
  /** How message ids look in submit_sm_resp; receipts may use the other form (`receiptIdForm`). */
  idForm: 'hex' | 'decimal';
  receiptIdForm: 'same' | 'hex' | 'decimal';
  /** `stat:` of the receipts (default DELIVRD). */
  receiptStat: 'DELIVRD' | 'UNDELIV' | 'EXPIRED' | 'REJECTD';
}

/** Faults, switchable at any time. */
export interface SmscFaults {
  /** Answer bind requests with this command_status (e.g. 0x0E ESME_RINVPASWD). */
  refuseBind: number | null;
  /** Answer the next N submits with ESME_RTHROTTLED (0x58). */
  throttleNext: number;
  /** Close the socket when this many more submits have arrived (the last one unanswered). */
  closeAfterSubmits: number | null;
  /** Never answer submit_sm (nor enquire_link): the client must time out. */
  silent: boolean;
  /** Answer submits with this permanent error (e.g. 0x0B ESME_RINVDSTADR). */
  rejectWith: number | null;
}

export interface RecordedSubmit {
  readonly sessionNo: number;
  /** The system_id the submitting session bound with ('' before a bind): which client sent it when several are bound. */
  readonly systemId: string;
  readonly from: string;
  readonly to: string;
  readonly dataCoding: number;
  readonly esmClass: number;
  readonly registeredDelivery: number;
  /** The text of this PDU as the package decoded it (one part of a long text). */
  readonly text: string;
  readonly viaPayload: boolean;
  readonly concat: { ref: number; total: number; seq: number } | null;
  /** Set when the submit was accepted. */
  readonly messageId: string | null;
}

export interface RecordedBind {
  readonly systemId: string;
  readonly password: string;
  readonly interfaceVersion: number;
}

export interface InboundToInject {
  readonly from: string;
  readonly to: string;
  readonly text: string;
  /** Put the text in message_payload with an empty short_message (some SMSCs do). */
  readonly viaPayload?: boolean;
  readonly dataCoding?: 0 | 8;
  /** source_addr_ton / source_addr_npi (default 1/1: international, E.164). */
  readonly fromTon?: number;
  readonly fromNpi?: number;
  /** esm_class (default 0: a plain text; 0x04 flags an SMSC delivery receipt). */
  readonly esmClass?: number;
  /** Deliver on the bind made with this system_id (several clients bound, e.g. two nodes); default: the first bound. */
  readonly via?: string;
}

function decoded(v: unknown): { text: string; udh: Buffer[] | null } {
  if (!v) return { text: '', udh: null };
  if (typeof v === 'string') return { text: v, udh: null };
  if (Buffer.isBuffer(v)) return { text: v.toString('latin1'), udh: null };
  const o = v as { message?: unknown; udh?: Buffer[] };
  return { text: typeof o.message === 'string' ? o.message : '', udh: o.udh ?? null };
}

export class SmscSimulator extends EventEmitter {
  readonly options: SmscOptions;
  readonly faults: SmscFaults = { refuseBind: null, throttleNext: 0, closeAfterSubmits: null, silent: false, rejectWith: null };
  readonly submits: RecordedSubmit[] = [];
  readonly binds: RecordedBind[] = [];
  /** Receipts sent and the command_status the client answered with. */
  readonly receiptAnswers: number[] = [];
  private readonly server = smpp.createServer({}, (s) => this.onSession(s));
  private readonly bound = new Set<Session>();
  private readonly systemIds = new Map<Session, string>();
  private nextId = 1000;
  private sessions = 0;

  constructor(options: Partial<SmscOptions> = {}) {
    super();
    this.options = { receipts: 'off', idForm: 'hex', receiptIdForm: 'same', receiptStat: 'DELIVRD', ...options };
  }

  /** Listens on 127.0.0.1, port 0 unless given; resolves with the port. */
  listen(port = 0): Promise<number> {
    return new Promise((resolve) => this.server.listen(port, '127.0.0.1', () => resolve((this.server.address() as AddressInfo).port)));
  }

  async close(): Promise<void> {
    for (const s of this.server.sessions) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  boundSessions(): number {
    return this.bound.size;
  }

  /** Full texts, reassembled from their parts, in order of their last part's arrival. */
  messages(): Array<{ to: string; from: string; text: string; dataCoding: number; parts: number }> {
    const out: Array<{ to: string; from: string; text: string; dataCoding: number; parts: number }> = [];
    const open = new Map<string, RecordedSubmit[]>();
    for (const s of this.submits) {
      if (s.messageId === null) continue;
      if (!s.concat) {
        out.push({ to: s.to, from: s.from, text: s.text, dataCoding: s.dataCoding, parts: 1 });
        continue;
      }
      const key = `${s.sessionNo}|${s.to}|${s.concat.ref}|${s.concat.total}`;
      const parts = open.get(key) ?? [];
      parts.push(s);
      open.set(key, parts);
      if (parts.length === s.concat.total) {
        open.delete(key);
        parts.sort((a, b) => a.concat!.seq - b.concat!.seq);
        out.push({ to: s.to, from: s.from, text: parts.map((p) => p.text).join(''), dataCoding: s.dataCoding, parts: parts.length });
      }
    }
    return out;
  }

  /** Sends a deliver_sm (an inbound text) to the bound client; resolves with its answer's command_status. */
  deliver(m: InboundToInject): Promise<number> {
    const session = [...this.bound].find((s) => m.via === undefined || this.systemIds.get(s) === m.via);
    if (!session) return Promise.reject(new Error(m.via === undefined ? 'no bound client' : `no client bound as ${m.via}`));
    const dataCoding = m.dataCoding ?? (/^[\x20-\x7e]*$/.test(m.text) ? 0 : 8);
    const bytes = dataCoding === 8 ? Buffer.from(m.text, 'utf16le').swap16() : Buffer.from(m.text, 'latin1');
    const params: Record<string, unknown> = {
      source_addr_ton: m.fromTon ?? 1,
      source_addr_npi: m.fromNpi ?? 1,
      source_addr: m.from,
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: m.to,
      esm_class: m.esmClass ?? 0,
      data_coding: dataCoding,
      short_message: m.viaPayload ? Buffer.alloc(0) : bytes,
    };
    if (m.viaPayload) params.message_payload = bytes;
    return this.request(session, new smpp.PDU('deliver_sm', params));
  }

  /**
   * Sends a request (`deliver_sm`, `data_sm`, ...) with exactly these parameters (the package's names; a
   * Buffer `short_message` or `message_payload` goes on the wire as given, UDH included), for tests that
   * need odd PDUs. Resolves with the command_status of the client's answer (a generic_nack's too).
   */
  sendPdu(command: string, params: Record<string, unknown>): Promise<number> {
    const session = [...this.bound][0];
    if (!session) return Promise.reject(new Error('no bound client'));
    return this.request(session, new smpp.PDU(command, params));
  }

  /** Sends enquire_link to the bound client; resolves with its answer's command_status. */
  enquireLink(): Promise<number> {
    const session = [...this.bound][0];
    if (!session) return Promise.reject(new Error('no bound client'));
    return this.request(session, new smpp.PDU('enquire_link', {}));
  }

  /** Writes bytes that are not a valid PDU to every client (a PDU length beyond the package's maximum). */
  sendGarbage(): void {
    const junk = Buffer.alloc(16);
    junk.writeUInt32BE(0x7fffffff, 0);
    for (const s of this.server.sessions) s.socket.write(junk);
  }

  private request(session: Session, pdu: PDU): Promise<number> {
    return new Promise((resolve) => {
      if (!session.send(pdu, (resp) => resolve(resp.command_status))) resolve(-1);
    });
  }

  private onSession(session: Session): void {
    session.socket.setNoDelay(true);
    const no = ++this.sessions;
    session.on('error', () => session.destroy());
    session.on('close', () => {
      this.bound.delete(session);
      this.systemIds.delete(session);
    });
    session.on('pdu', (pdu: PDU) => this.onPdu(session, no, pdu));
  }

  private onPdu(session: Session, no: number, pdu: PDU): void {
    if (pdu.isResponse()) return;
    switch (pdu.command) {
      case 'bind_transceiver':
      case 'bind_transmitter':
      case 'bind_receiver': {
        this.binds.push({ systemId: String(pdu.system_id), password: String(pdu.password), interfaceVersion: Number(pdu.interface_version) });
        let status = this.faults.refuseBind ?? 0;
        if (!status && this.options.systemId !== undefined && pdu.system_id !== this.options.systemId) status = 0x0f;
        if (!status && this.options.password !== undefined && pdu.password !== this.options.password) status = 0x0e;
        session.send(pdu.response({ command_status: status, system_id: 'smsc-sim' }));
        if (status === 0) {
          this.bound.add(session);
          this.systemIds.set(session, String(pdu.system_id));
        }
        this.emit('bind', status);
        return;
      }
      case 'enquire_link':
        if (!this.faults.silent) session.send(pdu.response());
        return;
      case 'unbind':
        session.send(pdu.response());
        this.bound.delete(session);
        return;
      case 'submit_sm':
        this.onSubmit(session, no, pdu);
        return;
      default:
        session.send(pdu.response());
    }
  }

  private onSubmit(session: Session, no: number, pdu: PDU): void {
    const sm = decoded(pdu.short_message);
    const viaPayload = sm.text === '' && pdu.message_payload !== undefined;
    const body = viaPayload ? decoded(pdu.message_payload) : sm;
    const ie = body.udh?.find((u) => u[0] === 0x00);
    const concat = ie ? { ref: ie[2]!, total: ie[3]!, seq: ie[4]! } : null;
    const base = {
      sessionNo: no,
      systemId: this.systemIds.get(session) ?? '',
      from: String(pdu.source_addr),
      to: String(pdu.destination_addr),
      dataCoding: Number(pdu.data_coding),
      esmClass: Number(pdu.esm_class),
      registeredDelivery: Number(pdu.registered_delivery),
      text: body.text,
      viaPayload,
      concat,
    };
    if (this.faults.closeAfterSubmits !== null && --this.faults.closeAfterSubmits <= 0) {
      this.faults.closeAfterSubmits = null;
      this.submits.push({ ...base, messageId: null });
      session.destroy();
      return;
    }
    if (this.faults.silent) {
      this.submits.push({ ...base, messageId: null });
      return;
    }
    const refuse = this.faults.throttleNext > 0 ? 0x58 : this.faults.rejectWith;
    if (refuse) {
      if (this.faults.throttleNext > 0) this.faults.throttleNext--;
      this.submits.push({ ...base, messageId: null });
      session.send(pdu.response({ command_status: refuse }));
      return;
    }
    const n = this.nextId++;
    const messageId = this.options.idForm === 'hex' ? n.toString(16).toUpperCase() : String(n);
    const rec: RecordedSubmit = { ...base, messageId };
    this.submits.push(rec);
    session.send(pdu.response({ message_id: messageId }));
    this.emit('submit', rec);
    if (this.options.receipts !== 'off' && (base.registeredDelivery & 0x03) !== 0) this.sendReceipt(session, rec, n);
  }

  private sendReceipt(session: Session, rec: RecordedSubmit, n: number): void {
    const form = this.options.receiptIdForm === 'same' ? this.options.idForm : this.options.receiptIdForm;
    const id = form === 'hex' ? n.toString(16).toUpperCase() : String(n);
    const stat = this.options.receiptStat;
    const stamp = '2601010000';
    const text = `id:${id} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:${stamp} done date:${stamp} stat:${stat} err:000 text:`;
    const state = { DELIVRD: 2, UNDELIV: 5, EXPIRED: 3, REJECTD: 8 }[stat];
    const params: Record<string, unknown> = {
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: rec.to,
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: rec.from,
      esm_class: 0x04,
      data_coding: 0,
      short_message: this.options.receipts === 'tlv' ? Buffer.alloc(0) : Buffer.from(text, 'latin1'),
    };
    if (this.options.receipts === 'tlv' || this.options.receipts === 'both') {
      params.receipted_message_id = id;
      params.message_state = state;
    }
    void this.request(session, new smpp.PDU('deliver_sm', params)).then((st) => this.receiptAnswers.push(st));
  }
}
