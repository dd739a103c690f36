import type { Promised } from '../../src/domain/ports/async-stores.ts';

/** Which call is about to run: the store's name in the harness and the method. */
export type StoreCall = `${string}.${string}`;

/**
 * Holds chosen store calls until released, to put a gap where a database would (a slow commit, another
 * node's lock). `hold('consentStore.append')` holds the next such call; `release()` lets it run.
 */
export class StoreGate {
  readonly #held = new Map<StoreCall, { reached: () => void; release: Promise<void> }>();

  /** Holds the next call to `call`; `reached` resolves when it is waiting, `release` lets it run. */
  hold(call: StoreCall): { readonly reached: Promise<void>; readonly release: () => void } {
    let reached!: () => void;
    let release!: () => void;
    const r = new Promise<void>((resolve) => (reached = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.#held.set(call, { reached, release: gate });
    return { reached: r, release };
  }

  /** Awaited by `promised` before each call: a held call waits for its release, once. */
  async before(call: StoreCall): Promise<void> {
    const h = this.#held.get(call);
    if (h === undefined) return;
    this.#held.delete(call);
    h.reached();
    await h.release;
  }
}

/**
 * A synchronous in-memory fake behind its async port (`Promised<P>`). Every call answers on a later
 * microtask, as a database driver would, so code that still used a store's return value in the same
 * turn would hold a Promise; `gate` may hold chosen calls longer. The fake itself stays synchronous for
 * the test's own reads and scripting knobs (`failNext`, `failOpen`).
 */
export function promised<P extends object>(store: P, name: string, gate?: StoreGate): Promised<P> {
  return new Proxy(store, {
    get(target, key, receiver) {
      const v: unknown = Reflect.get(target, key, receiver);
      if (typeof v !== 'function' || typeof key !== 'string') return v;
      return async (...args: unknown[]) => {
        await gate?.before(`${name}.${key}`);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as unknown as Promised<P>;
}
