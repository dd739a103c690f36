import type { EngineOp } from '../../domain/call-flow/call-events.ts';
import { isAppError } from '../../domain/errors.ts';
import type { CallSessionContext } from './call-session-context.ts';
import { errorFields } from './error-fields.ts';

/** Runs an engine operation; a gone channel becomes a hangup, any other failure `operation-failed`. */
export async function engineOp(ctx: CallSessionContext, op: EngineOp, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (isAppError(err, 'TELEPHONY.CHANNEL_GONE')) {
      ctx.dispatch({ type: 'hangup' });
    } else {
      ctx.log.warn({ op, err: errorFields(err) }, 'call engine operation failed');
      ctx.dispatch({ type: 'operation-failed', op });
    }
  }
}

export async function bestEffort(ctx: CallSessionContext, op: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    // Cleanup on a channel that is already gone fails (ARI answers 404); that is expected.
    ctx.log.debug({ op, err: errorFields(err) }, 'cleanup operation failed');
  }
}
