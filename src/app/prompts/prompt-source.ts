import type { Business } from '../../domain/business.ts';
import type { CallFlowState } from '../../domain/call-flow/call-state.ts';
import { CONSENT_PROMPTS, PROMPT_KEYS, renderPrompt, type PromptKey } from '../../domain/call-flow/prompts.ts';
import type { PromptRef } from '../../domain/ports/call-engine.ts';
import type { Synthesizer } from '../../domain/ports/synthesizer.ts';

/** Turns a prompt (its key, its rendered text, the business) into a WAV the engine can play. */
export type PromptSource = (req: { readonly key: PromptKey; readonly text: string; readonly business: Business | null }) => Promise<PromptRef>;

/**
 * Operator-recorded prompts (config `prompts.overridesDir`, `<dir>/<business id>/<prompt>.wav`) are looked
 * up by an injected function, since checking files is I/O. Consent prompts are never overridden: the
 * ledger stores their text as played, so they are always spoken from the exact text.
 */
export type PromptOverride = (businessId: number, key: PromptKey) => PromptRef | null | Promise<PromptRef | null>;

export function createPromptSource(deps: { readonly synthesizer: Synthesizer; readonly override?: PromptOverride; readonly voice?: string }): PromptSource {
  return async ({ key, text, business }) => {
    if (deps.override !== undefined && business !== null && !CONSENT_PROMPTS.includes(key)) {
      const recorded = await deps.override(business.id, key);
      if (recorded !== null) return recorded;
    }
    const opts = deps.voice === undefined ? { sampleRate: 8000 as const } : { sampleRate: 8000 as const, voice: deps.voice };
    const s = await deps.synthesizer.synthesize(text, opts);
    return { file: s.file };
  };
}

export interface PromptWarmReport {
  readonly prompts: number;
  readonly failures: ReadonlyArray<{ readonly businessId: number | null; readonly key: PromptKey; readonly error: string }>;
}

/**
 * Makes every prompt a call can play, for every business, before calls are taken (at start and on
 * SIGHUP): the first caller otherwise waits in silence while its prompts are synthesized, and a prompt
 * that cannot be made is found by the operator, not by a caller.
 */
export async function warmPrompts(source: PromptSource, businesses: readonly Business[]): Promise<PromptWarmReport> {
  const failures: Array<PromptWarmReport['failures'][number]> = [];
  let prompts = 0;
  const jobs: Array<{ key: PromptKey; business: Business | null }> = [
    { key: 'greeting', business: null },
    { key: 'goodbye-message', business: null },
    ...businesses.flatMap((business) => PROMPT_KEYS.map((key) => ({ key, business }))),
  ];
  for (const { key, business } of jobs) {
    const text = renderPrompt(key, business);
    if (text === '') continue; // an emergency instruction the business did not set is never played
    try {
      await source({ key, text, business });
      prompts++;
    } catch (e) {
      failures.push({ businessId: business?.id ?? null, key, error: (e as Error).message });
    }
  }
  return { prompts, failures };
}

/** One call's prompts: rendered for its business, each made once (prefetched at the start so there is no dead air). */
export class CallPrompts {
  readonly #source: PromptSource;
  readonly #business: Business | null;
  readonly #made = new Map<PromptKey, Promise<PromptRef>>();

  constructor(source: PromptSource, business: Business | null) {
    this.#source = source;
    this.#business = business;
  }

  /** The prompt's text as the caller hears it. */
  text(key: PromptKey): string {
    return renderPrompt(key, this.#business);
  }

  /** The playable prompt, made on first use. */
  get(key: PromptKey): Promise<PromptRef> {
    let p = this.#made.get(key);
    if (p === undefined) {
      p = this.#source({ key, text: this.text(key), business: this.#business });
      this.#made.set(key, p);
    }
    return p;
  }

  /** Prepares the prompts this call will need while the caller listens. */
  prefetch(state: Pick<CallFlowState, 'route' | 'urgency'>): void {
    const keys: PromptKey[] =
      state.route === 'verbal'
        ? ['greeting', 'consent', 'goodbye-granted', 'goodbye-declined', 'reprompt', 'goodbye-unheard']
        : state.route === 'implied'
          ? ['greeting', 'goodbye-implied']
          : ['greeting', 'goodbye-message'];
    if (state.urgency !== 'off') keys.push('emergency');
    for (const key of keys) {
      this.get(key).catch(() => {
        // Reported when the prompt is actually played.
      });
    }
  }
}
