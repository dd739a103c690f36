/**
 * Who is up, for `/readyz`. Adapters report through the composition root (`set('smpp', true)`
 * on bind, `false` on loss); `declare` registers a dependency as down before its first report, so the
 * service is not ready merely because nothing has been heard from it yet.
 */
export class ReadinessBoard {
  private readonly state = new Map<string, boolean>();

  declare(...names: string[]): this {
    for (const n of names) if (!this.state.has(n)) this.state.set(n, false);
    return this;
  }

  set(name: string, up: boolean): void {
    this.state.set(name, up);
  }

  /** The `readiness` function for `AdminHttpServer`. */
  snapshot(): Record<string, boolean> {
    return Object.fromEntries(this.state);
  }

  ready(): boolean {
    return this.state.size > 0 && [...this.state.values()].every(Boolean);
  }
}
