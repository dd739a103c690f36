import type { CallEngine, EngineCapabilities, EngineStatus, IncomingCall } from '../../src/domain/ports/call-engine.ts';
import { FakeCallLeg, type CallerScript } from './fake-call-leg.ts';

/**
 * An in-memory `CallEngine`: `placeCall(script)` makes a `FakeCallLeg` and delivers it to the `onCall`
 * given to `start`, as an engine does when a call arrives. `setStatus` drives status listeners.
 */
export class FakeCallEngine implements CallEngine {
  readonly name = 'fake';
  readonly capabilities: EngineCapabilities = { fetchesRecordingsRemotely: true, waitsForSpeech: false };
  readonly legs: FakeCallLeg[] = [];
  #onCall: ((call: IncomingCall) => void) | null = null;
  #status: EngineStatus = 'down';
  readonly #statusListeners = new Set<(s: EngineStatus) => void>();
  #seq = 0;

  async start(onCall: (call: IncomingCall) => void): Promise<void> {
    this.#onCall = onCall;
    this.setStatus('up');
  }

  async stop(): Promise<void> {
    this.#onCall = null;
    this.setStatus('down');
  }

  status(): EngineStatus {
    return this.#status;
  }

  onStatus(listener: (s: EngineStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => {
      this.#statusListeners.delete(listener);
    };
  }

  setStatus(s: EngineStatus): void {
    this.#status = s;
    for (const l of [...this.#statusListeners]) l(s);
  }

  /** A call arrives. Throws when the engine was not started. */
  placeCall(script: CallerScript = {}): FakeCallLeg {
    if (this.#onCall === null) throw new Error('FakeCallEngine: start() it first');
    const leg = FakeCallEngine.leg(`fake-${++this.#seq}`, script);
    this.legs.push(leg);
    this.#onCall(FakeCallEngine.incoming(leg));
    return leg;
  }

  static leg(id: string, script: CallerScript = {}): FakeCallLeg {
    return new FakeCallLeg(id, script);
  }

  /** The `IncomingCall` an engine would deliver for this leg. */
  static incoming(leg: FakeCallLeg): IncomingCall {
    return {
      leg,
      callerIdRaw: leg.script.callerId ?? '+15125550123',
      callerName: leg.script.callerName ?? null,
      dialed: leg.script.dialed ?? '+15125550100',
    };
  }
}
