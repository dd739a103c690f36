import type { FastifyInstance } from 'fastify';
import { requireE164 } from '../app/business/business-input.ts';
import { parseId } from '../app/consent/consent-input.ts';
import { AppError } from '../domain/errors.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { queryText } from './console-format.ts';
import { renderPage } from './console-page.ts';

import type { CallOutcome } from '../domain/ports/call-log.ts';

/** The outcomes a call can end with (src/domain/ports/call-log.ts), for the filter's choices. */
const CALL_OUTCOMES: readonly CallOutcome[] = [
  'consent-granted',
  'consent-declined',
  'consent-unclear',
  'consent-unheard',
  'implied-texted',
  'message-only',
  'no-message',
  'caller-hung-up',
  'withheld-caller',
  'unknown-did',
  'interrupted',
  'failed',
];

const DAY_MS = 86_400_000;
const PAGE_ROWS = 100;

interface CallQuery {
  business?: string;
  phone?: string;
  outcome?: string;
  from?: string;
  to?: string;
  urgent?: string;
}

/** A `YYYY-MM-DD` date field as UTC midnight, or an INPUT.INVALID naming the field. */
function dateField(v: string | undefined, label: string): number | undefined {
  if (v === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms)) throw new AppError('INPUT.INVALID', `${label} must be a date (YYYY-MM-DD)`);
  return ms;
}

export function registerCallRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get<{ Querystring: CallQuery }>('/calls', async (req, reply) => {
    const q = req.query;
    const business = queryText(q.business);
    const phone = queryText(q.phone);
    const outcome = queryText(q.outcome);
    const from = dateField(queryText(q.from), 'From');
    const to = dateField(queryText(q.to), 'To');
    // Same query as `callkeeper calls list` (src/store/sqlite-call-history.ts).
    const rows = await deps.calls.list({
      limit: PAGE_ROWS,
      ...(business === undefined ? {} : { businessId: parseId(business, 'Business') }),
      ...(phone === undefined ? {} : { caller: requireE164(phone, 'Caller number') }),
      ...(outcome === undefined ? {} : { outcome }),
      ...(from === undefined ? {} : { since: from }),
      ...(to === undefined ? {} : { until: to + DAY_MS }),
      ...(q.urgent === 'yes' ? { urgent: true } : q.urgent === 'no' ? { urgent: false } : {}),
    });
    return renderPage(req, reply, 'calls.eta', { title: 'Calls', rows, q, businesses: await deps.businesses.list(), outcomes: CALL_OUTCOMES, limit: PAGE_ROWS });
  });

  app.get<{ Params: { id: string } }>('/calls/:id', async (req, reply) => {
    const id = parseId(req.params.id, 'call id');
    const d = await deps.calls.detail(id);
    if (d === null) throw new AppError('INPUT.NOT_FOUND', `no call ${id}`);
    const answer = await answerRecord(deps, id);
    const business = typeof d.call.business_id === 'number' ? await deps.businesses.byId(d.call.business_id) : undefined;
    const consent = await Promise.all(d.consent.map(async (e) => ({ ...e, record: await deps.ledger.record(e.id) })));
    return renderPage(req, reply, 'call.eta', {
      title: `Call ${id}`,
      d,
      business,
      consent,
      hasMessage: d.call.recording_path !== null && d.call.recording_deleted_at === null,
      hasAnswer: answer !== undefined,
    });
  });

  // The file comes from the call's own rows, chosen by call id and kind: no path from the request.
  app.get<{ Params: { id: string; kind: string } }>('/calls/:id/recordings/:kind', async (req, reply) => {
    const id = parseId(req.params.id, 'call id');
    const kind = req.params.kind;
    let path: string | null | undefined;
    if (kind === 'message.wav') path = (await deps.callRecords.callRecord(id))?.recording_path;
    else if (kind === 'answer.wav') path = (await answerRecord(deps, id))?.audio_path;
    else throw new AppError('INPUT.NOT_FOUND', 'no such recording');
    if (!path) throw new AppError('INPUT.NOT_FOUND', `no ${kind.replace('.wav', '')} recording for call ${id}`);
    const opened = deps.recordings.open(path);
    if (opened === 'missing' || opened === 'refused') {
      // Not here because another node took the call, not because retention removed it.
      const other = (await deps.otherNodeOf?.(id)) ?? null;
      if (other !== null) throw new AppError('INPUT.NOT_FOUND', `the recording of call ${id} is on node ${other}, which took the call: open the console there`);
    }
    if (opened === 'missing') throw new AppError('INPUT.NOT_FOUND', `the recording of call ${id} was removed (retention)`);
    if (opened === 'refused') throw new AppError('INPUT.NOT_FOUND', `the recording of call ${id} is not in the recordings directory`);
    return reply
      .header('Content-Type', 'audio/wav')
      .header('Content-Length', String(opened.size))
      .header('Cache-Control', 'private, no-store')
      .send(opened.stream);
  });
}

/** The call's consent answer: the latest ledger record of the call that carries audio. */
async function answerRecord(deps: ConsoleDeps, callId: number) {
  const d = await deps.calls.detail(callId);
  if (!d) return undefined;
  for (const e of [...d.consent].reverse()) {
    const r = await deps.ledger.record(e.id);
    if (r?.audio_path) return r;
  }
  return undefined;
}
