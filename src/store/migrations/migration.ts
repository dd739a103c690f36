/** A versioned schema migration: applied once, in order, inside a transaction (`callkeeper db migrate`). */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
