/**
 * "Reply stop to opt out, got it.", "Sure, I understand about the stop thing.", "yes i heard the help and stop part": the
 * prompt's STOP and HELP terms acknowledged, said as the terms with an acknowledgment joined to them. Neutral words
 * (`context`), not a refusal: the answer still needs its own yes, and a "stop" said on its own anywhere else stays one.
 * Only with the acknowledgment joined: "yes, I'll just reply stop" is no acknowledgment (dev-40's `U`), nor are the
 * terms said back without one (dev-30). The blind writers' recurring class (dev-43, dev-46, dev-49 `yes-stop-ack`).
 */
export function termsAcknowledged(): string[] {
  const terms = [
    'reply stop to opt out', 'text stop to opt out', 'stop to opt out', 'stop to cancel', 'stop to unsubscribe', 'reply stop', 'text stop',
    'the stop thing', 'the stop part', 'the help and stop part', 'the stop and help part', 'stop or help', 'stop and help', 'help and stop',
    'help or stop', 'the stop and help thing', 'the help and stop thing',
  ];
  const acks = ['got it', 'i got it', 'understood', 'i understand', 'i heard', 'i know', 'noted', 'i get it'];
  const out: string[] = [];
  // "yes i know what stop means, text me" (dev-63): STOP named as the word it is, the acknowledgment before it
  const named = ['what stop means', 'what stop does', 'what stop is for', 'how stop works', 'about stop', 'about the stop', 'about reply stop'];
  for (const a of acks) {
    for (const t of terms) out.push(`${a} ${t}`, `${t} ${a}`);
    for (const t of named) out.push(`${a} ${t}`);
    for (const t of terms.filter((x) => x.startsWith('the '))) out.push(`${a} about ${t}`, `${a} how ${t} works`);
  }
  return out;
}
