import type { PDU } from 'smpp';
import type { Logger } from '../domain/ports/logger.ts';
import type { DeliveryReceipt, InboundSms } from '../domain/ports/sms-gateway.ts';
import { ConcatReassembler } from './concat-reassembler.ts';
import { readDeliverSm } from './deliver-sm-reader.ts';
import { isReceipt, parseReceipt } from './delivery-receipt-parser.ts';

const ESME_ROK = 0;
/** deliver_sm we could not store: "temporary application error", so the SMSC delivers it again later. */
const ESME_RX_T_APPN = 0x64;

/**
 * Turns an inbound deliver_sm into a delivery receipt or an inbound text (reassembling concatenated
 * parts) and hands it to the registered handler. Returns the command_status for the deliver_sm_resp:
 * only a handler that finished lets us acknowledge, so a failed store is redelivered by the SMSC.
 */
export class DeliverSmHandler {
  private inboundHandler: ((sms: InboundSms) => Promise<void> | void) | null = null;
  private receiptHandler: ((r: DeliveryReceipt) => Promise<void> | void) | null = null;
  private readonly reassembler = new ConcatReassembler();

  constructor(private readonly log: Logger) {}

  onInbound(handler: (sms: InboundSms) => Promise<void> | void): void {
    this.inboundHandler = handler;
  }

  onReceipt(handler: (r: DeliveryReceipt) => Promise<void> | void): void {
    this.receiptHandler = handler;
  }

  async handle(pdu: PDU): Promise<number> {
    try {
      const f = readDeliverSm(pdu);
      const receipt = isReceipt(f) ? parseReceipt(f) : null;
      if (receipt) {
        if (this.receiptHandler) await this.receiptHandler(receipt);
        return ESME_ROK;
      }
      // Flagged as a receipt but not one (no id in TLVs or text): dropping it could drop a STOP from an
      // SMSC that sets esm_class loosely, so it goes on as a text (src/sms/README.md).
      if (isReceipt(f)) this.log.warn({ esmClass: f.esmClass }, 'deliver_sm flagged as a receipt does not read as one; handled as a text');
      const text = this.reassembler.add(f);
      if (text === null) return ESME_ROK;
      const sms: InboundSms = { from: f.from, fromTon: f.fromTon, fromNpi: f.fromNpi, to: f.to, toTon: f.toTon, toNpi: f.toNpi, text, receivedAt: Date.now() };
      if (this.inboundHandler) await this.inboundHandler(sms);
      else this.log.warn({}, 'inbound text with no handler registered');
    } catch (e) {
      this.log.error({ err: (e as Error).message }, 'could not handle deliver_sm; asking the SMSC to retry');
      return ESME_RX_T_APPN;
    }
    return ESME_ROK;
  }
}
