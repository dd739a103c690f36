import { isAppError } from '../../domain/errors.ts';

/** Error details for a structured log field (never the message string). */
export function errorFields(err: unknown): Record<string, unknown> {
  if (isAppError(err)) return { code: err.code, message: err.message };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { value: String(err) };
}
