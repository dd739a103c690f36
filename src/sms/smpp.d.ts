/**
 * Types for the parts of the `smpp` package (0.5.1, plain JavaScript, no published types) that the
 * adapter and the simulator use. PDU fields are dynamic (named after the SMPP 3.4/5.0 parameters).
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  export interface PDU {
    command: string;
    /** Set on a PDU read from the wire (and by `toBuffer`): its whole length in bytes, header included. */
    command_length: number;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
    toBuffer(): Buffer;
  }
  export const PDU: {
    new (command: string, options?: Record<string, unknown>): PDU;
    new (buffer: Buffer): PDU;
    maxLength: number;
  };

  export class Session extends EventEmitter {
    socket: Socket;
    sequence: number;
    _callbacks: Record<number, ((pdu: PDU) => void) | undefined>;
    send(pdu: PDU, responseCallback?: (pdu: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    [command: string]: unknown;
  }

  export interface Server extends NetServer {
    sessions: Session[];
  }

  export function connect(options: { host: string; port: number; [k: string]: unknown }, listener?: () => void): Session;
  export function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): Server;
  export const errors: Readonly<Record<string, number>>;
  export const consts: {
    readonly ESM_CLASS: Readonly<Record<string, number>>;
    readonly MESSAGE_STATE: Readonly<Record<string, number>>;
    readonly ENCODING: Readonly<Record<string, number>>;
    readonly REGISTERED_DELIVERY: Readonly<Record<string, number>>;
  };

  const smpp: {
    PDU: typeof PDU;
    Session: typeof Session;
    connect: typeof connect;
    createServer: typeof createServer;
    errors: typeof errors;
    consts: typeof consts;
  };
  export default smpp;
}
