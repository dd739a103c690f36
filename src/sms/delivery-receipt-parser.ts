import type { DeliveryReceipt, ReceiptState } from '../domain/ports/sms-gateway.ts';

/**
 * Delivery receipts (SMPP 3.4 §5.2.12 and Appendix B). SMSCs report the outcome either in TLVs
 * (`receipted_message_id`, `message_state`) or only in the text form
 * `id:IIII sub:001 dlvrd:001 submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DELIVRD err:000 text:...`,
 * and some give the id in decimal in the receipt but hex in submit_sm_resp (or the reverse): we return
 * every reading of the id and let the outbox match any of them.
 */
const TLV_STATE: Readonly<Record<number, ReceiptState>> = {
  1: 'enroute',
  2: 'delivered',
  3: 'expired',
  4: 'failed',
  5: 'undeliverable',
  6: 'accepted',
  7: 'unknown',
  8: 'undeliverable',
};

const TEXT_STATE: Readonly<Record<string, ReceiptState>> = {
  DELIVRD: 'delivered',
  EXPIRED: 'expired',
  DELETED: 'failed',
  UNDELIV: 'undeliverable',
  REJECTD: 'undeliverable',
  ACCEPTD: 'accepted',
  UNKNOWN: 'unknown',
  ENROUTE: 'enroute',
};

/** The raw id, then its hex↔decimal readings and the same without leading zeros. */
export function idReadings(raw: string): string[] {
  const id = raw.trim();
  const out = [id];
  const add = (s: string): void => {
    if (s && !out.some((o) => o.toLowerCase() === s.toLowerCase())) out.push(s);
  };
  add(id.replace(/^0+(?=.)/, ''));
  if (/^\d{1,30}$/.test(id)) add(BigInt(id).toString(16));
  if (/^[0-9a-f]{1,30}$/i.test(id)) add(BigInt(`0x${id}`).toString(10));
  return out;
}

export function parseReceiptText(text: string): { id: string; state: ReceiptState; error: string | null } | null {
  const id = /\bid:\s*([0-9A-Za-z-]+)/i.exec(text)?.[1];
  const stat = /\bstat:\s*([A-Z]+)/i.exec(text)?.[1]?.toUpperCase();
  if (!id || !stat) return null;
  const err = /\berr:\s*([0-9A-Za-z]+)/i.exec(text)?.[1] ?? null;
  return { id, state: TEXT_STATE[stat] ?? 'unknown', error: err };
}

/** Fields of a decoded deliver_sm that matter here. */
export interface ReceiptFields {
  readonly esmClass: number;
  readonly receiptedMessageId: string | null;
  readonly messageState: number | null;
  readonly networkError: string | null;
  readonly text: string;
}

/** SMPP 3.4 §5.2.12: esm_class bits 2–5 = 0001 (SMSC receipt), 0010 (SME ack) or 1000 (intermediate). */
export function isReceipt(f: Pick<ReceiptFields, 'esmClass' | 'receiptedMessageId'>): boolean {
  const type = f.esmClass & 0x3c;
  return type === 0x04 || type === 0x08 || type === 0x20 || f.receiptedMessageId !== null;
}

export function parseReceipt(f: ReceiptFields): DeliveryReceipt | null {
  const fromText = parseReceiptText(f.text);
  const id = f.receiptedMessageId ?? fromText?.id;
  if (!id) return null;
  const state = f.messageState !== null ? (TLV_STATE[f.messageState] ?? 'unknown') : (fromText?.state ?? 'unknown');
  const error = fromText?.error ?? f.networkError;
  return { messageIds: idReadings(id), state, error: error && /^0+$/.test(error) ? null : error };
}
