import type { OutboundRequest, Outbox } from '../../src/domain/ports/outbox.ts';
import type { Journal } from './journal.ts';

/** An in-memory `Outbox`: stores what was queued. `failNext` makes enqueues throw. */
export class InMemoryOutbox implements Outbox {
  readonly messages: Array<OutboundRequest & { readonly id: number }> = [];
  failNext = 0;
  readonly #journal: Journal | undefined;

  constructor(opts: { readonly journal?: Journal } = {}) {
    this.#journal = opts.journal;
  }

  enqueue(msg: OutboundRequest): number {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('scripted outbox failure');
    }
    const id = this.messages.length + 1;
    this.messages.push({ ...msg, id });
    this.#journal?.add('outbox.enqueue', msg.callId, id);
    return id;
  }

  forCall(callId: number): Array<OutboundRequest & { readonly id: number }> {
    return this.messages.filter((m) => m.callId === callId);
  }
}
