import { AppError } from '../../domain/errors.ts';

/**
 * Translates an ESL `-ERR ...` reply into an AppError at the adapter boundary. The reply
 * texts come from traces 05 and 08; the raw text goes in `details`, never in the message, because a
 * `getvar`/`api` reply can echo caller data.
 */
export function eslReplyError(command: string, replyText: string): AppError {
  const verb = command.split(' ', 1)[0] ?? command;
  const details = { command: verb, reply: replyText.trim() };
  if (/^-ERR invalid session id/.test(replyText) || /^-ERR No such channel/.test(replyText)) {
    return new AppError('TELEPHONY.CHANNEL_GONE', 'FreeSWITCH no longer has this channel', { details });
  }
  if (verb === 'auth' && /^-ERR invalid/.test(replyText)) {
    return new AppError('TELEPHONY.ENGINE_UNAVAILABLE', 'FreeSWITCH rejected the event socket password', {
      details: { ...details, reason: 'auth-rejected' },
    });
  }
  return new AppError('TELEPHONY.REQUEST_FAILED', 'FreeSWITCH refused an event socket command', { details });
}

export function isErrReply(text: string): boolean {
  return text.startsWith('-ERR') || text.startsWith('-USAGE');
}
