/**
 * The one list of log fields that carry personal data (issue 6, STYLE.md "no PII in message strings").
 * pino replaces their values with `REDACTED_MARK` before the line is written, wherever they appear:
 * at the top level of the fields object, one level down (`call.caller`), and two levels down
 * (`err.details.caller`: AppError details are serialized with the error).
 *
 * What is covered, and why:
 * - phone numbers: `caller`, `callerE164`, `callerRaw`, `caller_e164`, `caller_raw`, `consumer`, `to`, `from`,
 *   `phone`, `msisdn`, `number`, `sourceAddr`, `destinationAddr`, `source_addr`, `destination_addr`
 *   (the SMPP PDU names: a PDU logged whole would otherwise leak both ends);
 * - what callers said or were sent: `transcript`, `text`, `body`, `summary`, `shortMessage`, `short_message`,
 *   `messagePayload`, `message_payload`;
 * - DTMF: `digit`, `digits`, `dtmf`;
 * - secrets: `token`, `password`, `secret`, `authorization` (an HTTP header logged whole), `passwordFile`
 *   is a path and stays visible.
 *
 * Business DIDs (`did`) stay visible: they are the business's own published number, and operators need
 * them to tell which line a problem came from.
 */
export const REDACTED_KEYS = [
  'caller',
  'callerE164',
  'callerRaw',
  'caller_e164',
  'caller_raw',
  'consumer',
  'to',
  'from',
  'phone',
  'msisdn',
  'number',
  'sourceAddr',
  'destinationAddr',
  'source_addr',
  'destination_addr',
  'transcript',
  'text',
  'body',
  'summary',
  'shortMessage',
  'short_message',
  'messagePayload',
  'message_payload',
  'digit',
  'digits',
  'dtmf',
  'token',
  'password',
  'secret',
  'authorization',
] as const;

export const REDACTED_MARK = '[redacted]';

/** The pino `redact.paths` built from `REDACTED_KEYS`: each key at depth 0, 1 and 2. */
export function redactPaths(keys: readonly string[] = REDACTED_KEYS): string[] {
  return keys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
}
