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
      if (isReceipt(f)) {
        const r = parseReceipt(f);
        if (r && this.receiptHandler) await this.receiptHandler(r);
      } else {
        const text = this.reassembler.add(f);
        if (text !== null) {
          if (this.inboundHandler) await this.inboundHandler({ from: f.from, to: f.to, text, receivedAt: Date.now() });
          else this.log.warn({}, 'inbound text with no handler registered');
        }
      }
    } catch (e) {
      this.log.error({ err: (e as Error).message }, 'could not handle deliver_sm; asking the SMSC to retry');
      return ESME_RX_T_APPN;
    }
    return ESME_ROK;
  }
}
