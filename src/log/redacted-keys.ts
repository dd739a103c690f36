/**
 * The one list of log field names that carry personal data or secrets; the product logger replaces
 * their values with `REDACTED_MARK` at any depth (exact key name, case-sensitive). What is covered and
 * what stays visible, and why: src/log/README.md.
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
