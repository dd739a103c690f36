import { CONSENT_PROMPTS, renderPrompt, type PromptKey } from '../../domain/call-flow/prompts.ts';
import type { PromptRef } from '../../domain/ports/call-engine.ts';
import type { CallSessionContext } from './call-session-context.ts';
import { engineOp } from './engine-operations.ts';
import { errorFields } from './error-fields.ts';

/** Plays a prompt, keeping the consent texts and what the caller was told as evidence. */
export async function playPrompt(ctx: CallSessionContext, key: PromptKey): Promise<void> {
  const text = renderPrompt(key, ctx.facts.business);
  let prompt: PromptRef;
  try {
    prompt = await promptFor(ctx, key, text);
  } catch (err) {
    ctx.log.error({ prompt: key, err: errorFields(err) }, 'prompt could not be prepared');
    ctx.dispatch({ type: 'operation-failed', op: 'play' });
    return;
  }
  await engineOp(ctx, 'play', async () => {
    const id = await ctx.leg.play(prompt);
    ctx.router.playbackStarted(id, key);
    if (CONSENT_PROMPTS.includes(key)) ctx.evidence.consentTexts.push(text);
    if (key === 'emergency' || key.startsWith('goodbye-')) ctx.evidence.told.push(text);
  });
}

function promptFor(ctx: CallSessionContext, key: PromptKey, text: string): Promise<PromptRef> {
  let p = ctx.prompts.get(key);
  if (p === undefined) {
    p = ctx.deps.prompts({ key, text, business: ctx.facts.business });
    ctx.prompts.set(key, p);
  }
  return p;
}

/** Prepare the prompts this call will need while the caller listens, so there is no dead air. */
export function prefetchPrompts(ctx: CallSessionContext): void {
  const state = ctx.state();
  const keys: PromptKey[] =
    state.route === 'verbal'
      ? ['greeting', 'consent', 'goodbye-granted', 'goodbye-declined', 'reprompt', 'goodbye-unheard']
      : state.route === 'implied'
        ? ['greeting', 'goodbye-implied']
        : ['greeting', 'goodbye-message'];
  if (state.urgency !== 'off') keys.push('emergency');
  for (const key of keys) {
    promptFor(ctx, key, renderPrompt(key, ctx.facts.business)).catch(() => {
      // Reported when the prompt is actually played.
    });
  }
}
