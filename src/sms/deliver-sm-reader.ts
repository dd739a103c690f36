import type { PDU } from 'smpp';

/**
 * Reads a deliver_sm as the `smpp` package decoded it. The text may be in `short_message` or, with an
 * empty `short_message`, in the `message_payload` TLV (SMPP 3.4 §5.3.2.32); the package turns either
 * into `{ message, udh? }`. Addresses are passed on as given with their TON/NPI; the app normalizes them
 * (src/domain/phone-number.ts `parseSmsAddress`).
 */
export interface DeliverSmFields {
  readonly from: string;
  readonly fromTon: number;
  readonly fromNpi: number;
  readonly to: string;
  readonly toTon: number;
  readonly toNpi: number;
  readonly esmClass: number;
  readonly dataCoding: number;
  readonly text: string;
  /** The concatenation IE (reference, total, sequence) when the text is one part of a longer one. */
  readonly concat: { ref: number; total: number; seq: number } | null;
  readonly receiptedMessageId: string | null;
  readonly messageState: number | null;
  readonly networkError: string | null;
}

type Decoded = { message?: unknown; udh?: Buffer[] } | Buffer | string | undefined;

function textOf(v: Decoded): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  const m = v.message;
  if (typeof m === 'string') return m;
  if (Buffer.isBuffer(m)) return m.toString('latin1');
  return '';
}

function concatOf(v: Decoded): DeliverSmFields['concat'] {
  if (!v || typeof v === 'string' || Buffer.isBuffer(v) || !v.udh) return null;
  for (const ie of v.udh) {
    if (ie[0] === 0x00 && ie.length >= 5) return { ref: ie[2]!, total: ie[3]!, seq: ie[4]! };
    if (ie[0] === 0x08 && ie.length >= 6) return { ref: ie.readUInt16BE(2), total: ie[4]!, seq: ie[5]! };
  }
  return null;
}

export function readDeliverSm(pdu: PDU): DeliverSmFields {
  const sm = pdu.short_message as Decoded;
  const payload = pdu.message_payload as Decoded;
  const smText = textOf(sm);
  const text = smText.length > 0 ? smText : textOf(payload);
  const nec = pdu.network_error_code;
  return {
    from: String(pdu.source_addr ?? ''),
    fromTon: Number(pdu.source_addr_ton ?? 0),
    fromNpi: Number(pdu.source_addr_npi ?? 0),
    to: String(pdu.destination_addr ?? ''),
    toTon: Number(pdu.dest_addr_ton ?? 0),
    toNpi: Number(pdu.dest_addr_npi ?? 0),
    esmClass: Number(pdu.esm_class ?? 0),
    dataCoding: Number(pdu.data_coding ?? 0),
    text,
    concat: concatOf(smText.length > 0 ? sm : payload),
    receiptedMessageId: typeof pdu.receipted_message_id === 'string' && pdu.receipted_message_id ? pdu.receipted_message_id : null,
    messageState: typeof pdu.message_state === 'number' ? pdu.message_state : null,
    networkError: Buffer.isBuffer(nec) && nec.length >= 3 ? String(nec.readUInt16BE(1)) : null,
  };
}
