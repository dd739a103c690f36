import { Mistral } from '@mistralai/mistralai';
import { AppError, type ErrorCode } from '../domain/errors.ts';
import type { Assist, AssistAnswer, IntakeDraft, ReplyIntent } from '../domain/ports/assist.ts';
import { CONSENT_TASK, INTAKE_TASK, REPLY_TASK, type AssistTask } from './assist-prompts.ts';

/**
 * The `Assist` port through the official Mistral SDK (`@mistralai/mistralai`): chat completions with
 * structured output (a strict JSON schema per task), the SDK's own retry with backoff (429 and 5xx,
 * honouring Retry-After up to `maxRetryIntervalMs`) and request timeout. `serverURL` may be La Plateforme
 * or any server speaking the same chat-completions API (a self-hosted model keeps transcripts on the
 * premises). Library failures are translated here into `AppError`s with `ASSIST.*` codes; error messages
 * carry the status and the code, never the request or the answer.
 */
export interface MistralAssistConfig {
  readonly serverURL: string;
  readonly model: string;
  /** Empty for a server that takes no key. */
  readonly apiKey: string;
  /** One HTTP request's limit (the caller also holds its own deadline over retries). */
  readonly requestTimeoutMs: number;
  readonly retry: { readonly initialIntervalMs: number; readonly maxRetryIntervalMs: number; readonly maxElapsedMs: number };
  readonly maxTokens?: number;
}

export class MistralAssist implements Assist {
  private readonly client: Mistral;

  constructor(private readonly cfg: MistralAssistConfig) {
    this.client = new Mistral({
      apiKey: cfg.apiKey,
      serverURL: cfg.serverURL,
      timeoutMs: cfg.requestTimeoutMs,
      retryConfig: {
        strategy: 'backoff',
        backoff: { initialInterval: cfg.retry.initialIntervalMs, maxInterval: cfg.retry.maxRetryIntervalMs, exponent: 2, maxElapsedTime: cfg.retry.maxElapsedMs },
        retryConnectionErrors: true,
      },
    });
  }

  intake(transcript: string, signal: AbortSignal): Promise<AssistAnswer<IntakeDraft>> {
    return this.ask(INTAKE_TASK, transcript, signal);
  }

  classifyReply(text: string, signal: AbortSignal): Promise<AssistAnswer<{ intent: ReplyIntent }>> {
    return this.ask(REPLY_TASK, text, signal);
  }

  refineUnclear(answer: string, signal: AbortSignal): Promise<AssistAnswer<{ refused: boolean }>> {
    return this.ask(CONSENT_TASK, answer, signal);
  }

  private async ask<T>(task: AssistTask<T>, text: string, signal: AbortSignal): Promise<AssistAnswer<T>> {
    let res;
    try {
      res = await this.client.chat.complete(
        {
          model: this.cfg.model,
          temperature: 0,
          maxTokens: this.cfg.maxTokens ?? 400,
          messages: [
            { role: 'system', content: task.system },
            { role: 'user', content: task.wrap(text) },
          ],
          responseFormat: { type: 'json_schema', jsonSchema: { name: task.name, schemaDefinition: task.jsonSchema, strict: true } },
        },
        // The SDK drops its own timeoutMs when given a signal, so both go in one signal.
        { signal: AbortSignal.any([signal, AbortSignal.timeout(this.cfg.requestTimeoutMs)]) },
      );
    } catch (err) {
      throw translate(err, task.version);
    }
    const content = res.choices?.[0]?.message?.content;
    const raw = typeof content === 'string' ? content : Array.isArray(content) ? content.map((c) => ('text' in c ? c.text : '')).join('') : '';
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new AppError('ASSIST.BAD_OUTPUT', `assist answer for ${task.version} is not JSON`, { cause: err });
    }
    const parsed = task.parse.safeParse(json);
    if (!parsed.success) throw new AppError('ASSIST.BAD_OUTPUT', `assist answer for ${task.version} does not follow its schema`);
    return { value: parsed.data, model: res.model || this.cfg.model, promptVersion: task.version };
  }
}

/** SDK and HTTP failures → `ASSIST.*`. A 429's Retry-After goes in `details.retryAfterMs` for the breaker. */
function translate(err: unknown, version: string): AppError {
  const e = err as { name?: string; statusCode?: number; headers?: Headers };
  const fail = (code: ErrorCode, what: string, retryable: boolean, details: Record<string, unknown> = {}): AppError =>
    new AppError(code, `assist ${version}: ${what}`, { cause: err, retryable, details });
  if (e?.name === 'RequestTimeoutError' || e?.name === 'RequestAbortedError') return fail('ASSIST.TIMEOUT', 'no answer in time', true);
  if (e?.name === 'ConnectionError') return fail('ASSIST.UNAVAILABLE', 'server unreachable', true);
  // SyntaxError: the body was not JSON at all (the SDK parses it with response.json()).
  if (e?.name === 'ResponseValidationError' || e?.name === 'SDKValidationError' || e?.name === 'SyntaxError') {
    return fail('ASSIST.BAD_OUTPUT', 'response is not a chat completion', false);
  }
  const status = typeof e?.statusCode === 'number' ? e.statusCode : null;
  if (status === 429) return fail('ASSIST.RATE_LIMITED', 'HTTP 429', true, { status, retryAfterMs: retryAfterMs(e.headers) });
  if (status === 401 || status === 403) return fail('ASSIST.REJECTED', `HTTP ${status} (check assist.apiKeyFile)`, false, { status });
  if (status !== null && status >= 500) return fail('ASSIST.UNAVAILABLE', `HTTP ${status}`, true, { status });
  if (status !== null) return fail('ASSIST.REJECTED', `HTTP ${status}`, false, { status });
  return fail('ASSIST.UNAVAILABLE', (err as Error)?.name ?? 'request failed', true);
}

function retryAfterMs(headers: Headers | undefined): number | null {
  const v = headers?.get('retry-after');
  if (!v) return null;
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}
