/**
 * The one list of log field names that carry personal data or secrets: no phone number, transcript or
 * secret goes in a message string. The product logger replaces their values with `REDACTED_MARK` at any depth of the
 * fields object: `caller`, `call.caller`, `err.details.caller` (AppError details are written with the
 * error), inside arrays too. Matching is by exact key name, case-sensitive.
 *
 * What is covered, and why:
 * - phone numbers: `caller`, `callerE164`, `callerRaw`, `caller_e164`, `caller_raw`, `callerId`, `consumer`,
 *   `phone`, `msisdn`, `number`, `sourceAddr`, `destinationAddr`, `source_addr`, `destination_addr`
 *   (the SMPP PDU names: a PDU logged whole would otherwise leak both ends). Beyond the names, any field
 *   whose whole value is phone-shaped is redacted too (redact-fields.ts), so `from`/`to` are not listed:
 *   they hold a number in an SMS line (redacted by its shape) and a call phase in a "call phase" line
 *   (which must stay readable);
 * - what callers said or were sent: `transcript`, `text`, `body`, `summary`, `shortMessage`, `short_message`,
 *   `messagePayload`, `message_payload`;
 * - DTMF: `digit`, `digits`, `dtmf`;
 * - secrets: `token`, `password`, `secret`, `authorization` (an HTTP header logged whole). `passwordFile`
 *   and `tokenFile` are paths and stay visible.
 *
 * Business DIDs (`did`) stay visible: they are the business's own published number, and operators need
 * them to tell which line a problem came from. Recording paths stay visible too (they hold no number).
 */
export const REDACTED_KEYS = [
  'caller',
  'callerE164',
  'callerRaw',
  'caller_e164',
  'caller_raw',
  'callerId',
  'consumer',
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
