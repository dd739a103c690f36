import type { DeliverSmFields } from './deliver-sm-reader.ts';

/** Parts of an inbound concatenated text older than this are dropped (3GPP leaves reassembly time to us). */
const CONCAT_TTL_MS = 5 * 60_000;
/** Texts being reassembled at once; beyond it the oldest is dropped, so a flood of first parts cannot grow memory. */
const MAX_OPEN = 1_000;

/** Joins the parts of inbound concatenated texts (UDH or SAR), keyed by sender, recipient and reference. */
export class ConcatReassembler {
  private readonly parts = new Map<string, { at: number; parts: Map<number, string>; total: number }>();

  /** Returns the whole text, or null while parts of a concatenated text are still missing. */
  add(f: DeliverSmFields): string | null {
    // 3GPP TS 23.040 §9.2.3.24.1: a sequence number of 0 or above the total voids the element.
    if (!f.concat || f.concat.total <= 1 || f.concat.seq < 1 || f.concat.seq > f.concat.total) return f.text;
    const now = Date.now();
    for (const [k, v] of this.parts) if (now - v.at > CONCAT_TTL_MS) this.parts.delete(k);
    const key = `${f.from}|${f.to}|${f.concat.ref}|${f.concat.total}`;
    const oldest = this.parts.keys().next();
    if (!this.parts.has(key) && this.parts.size >= MAX_OPEN && !oldest.done) this.parts.delete(oldest.value);
    const entry = this.parts.get(key) ?? { at: now, parts: new Map<number, string>(), total: f.concat.total };
    entry.parts.set(f.concat.seq, f.text);
    this.parts.set(key, entry);
    if (entry.parts.size < entry.total) return null;
    this.parts.delete(key);
    return [...entry.parts.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]).join('');
  }
}
