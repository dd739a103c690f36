import type { Business } from '../business.ts';
import { extractIssue } from '../messaging/issue-extractor.ts';
import { renderFirstText } from '../messaging/message-templates.ts';

/**
 * The first text after a call, when the composition root supplies no renderer: the business's first-text
 * template (message-templates.ts: `received` for verbal consent, `implied` for implied mode), carrying
 * the caller's issue when the message transcript names one clearly ("We received your call about a
 * leaking faucet.") and the generic wording otherwise: `extractIssue` returns null when unsure. When the
 * local rules find no issue, `assistedIssue` (the assist's phrase, already checked against the transcript
 * by domain/assist/intake-check.ts) may fill in.
 */
export function defaultFirstText(
  business: Pick<Business, 'name' | 'templates' | 'consentMode'>,
  messageTranscript: string | null,
  assistedIssue: string | null = null,
): string {
  return renderFirstText(business, extractIssue(messageTranscript) ?? assistedIssue).text;
}
