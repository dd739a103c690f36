import { encodeGsm7 } from '../domain/messaging/gsm7-alphabet.ts';
import { segmentText, type SmsEncoding } from '../domain/messaging/sms-segmenter.ts';
import type { OutboundSms } from '../domain/ports/sms-gateway.ts';

/**
 * Builds the submit_sm parameters for one text. We set data_coding ourselves (0 = GSM 03.38 default
 * alphabet, 8 = UCS-2) and hand the package ready-made bytes: left alone, `smpp` 0.5.1 labels GSM text
 * as 0x01 (IA5) while encoding GSM 03.38 and sends `á` as Latin-1. Long texts are split here
 * (the package throws RangeError past 254 octets) with the 8-bit-reference concatenation UDH
 * (3GPP TS 23.040 §9.2.3.24.1), or sent whole in `message_payload` when the gateway prefers it.
 */
export interface SubmitAddressing {
  readonly sourceTon: number;
  readonly sourceNpi: number;
  readonly destTon: number;
  readonly destNpi: number;
  readonly useMessagePayload: boolean;
  readonly registeredDelivery: boolean;
}

export interface BuiltSubmit {
  readonly encoding: SmsEncoding;
  /** Parts as the handset shows them (also when sent whole in message_payload). */
  readonly parts: number;
  readonly pdus: ReadonlyArray<Record<string, unknown>>;
}

export const DATA_CODING: Readonly<Record<SmsEncoding, number>> = { gsm7: 0x00, ucs2: 0x08 };
const ESM_UDHI = 0x40;

export function encodeText(text: string, encoding: SmsEncoding): Buffer {
  if (encoding === 'gsm7') return Buffer.from(encodeGsm7(text));
  return Buffer.from(text, 'utf16le').swap16();
}

/** SMPP addresses carry no `+`; an international (TON 1) number is its E.164 digits. */
export function smppAddress(e164: string): string {
  return e164.replace(/[^\d]/g, '');
}

export function buildSubmits(sms: OutboundSms, a: SubmitAddressing, concatRef: number): BuiltSubmit {
  const seg = segmentText(sms.text);
  const base = {
    source_addr_ton: a.sourceTon,
    source_addr_npi: a.sourceNpi,
    source_addr: smppAddress(sms.from),
    dest_addr_ton: a.destTon,
    dest_addr_npi: a.destNpi,
    destination_addr: smppAddress(sms.to),
    registered_delivery: a.registeredDelivery ? 0x01 : 0x00,
    data_coding: DATA_CODING[seg.encoding],
  };
  if (seg.parts.length === 1) {
    return { encoding: seg.encoding, parts: 1, pdus: [{ ...base, esm_class: 0, short_message: encodeText(sms.text, seg.encoding) }] };
  }
  if (a.useMessagePayload) {
    return {
      encoding: seg.encoding,
      parts: seg.parts.length,
      pdus: [{ ...base, esm_class: 0, short_message: Buffer.alloc(0), message_payload: encodeText(sms.text, seg.encoding) }],
    };
  }
  const total = seg.parts.length;
  const ref = concatRef & 0xff;
  const pdus = seg.parts.map((part, i) => ({
    ...base,
    esm_class: ESM_UDHI,
    short_message: Buffer.concat([Buffer.from([0x05, 0x00, 0x03, ref, total, i + 1]), encodeText(part, seg.encoding)]),
  }));
  return { encoding: seg.encoding, parts: total, pdus };
}
