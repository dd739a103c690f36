import type { FastifyInstance } from 'fastify';
import { parseId } from '../app/consent/consent-input.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { queryText } from './console-format.ts';
import { renderPage } from './console-page.ts';

const PAGE_ROWS = 200;

export function registerMessageRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get<{ Querystring: { business?: string; direction?: string } }>('/messages', async (req, reply) => {
    const business = queryText(req.query.business);
    const direction = req.query.direction === 'in' || req.query.direction === 'out' ? req.query.direction : undefined;
    // The same query as `callkeeper messages list` (src/store/sqlite-message-log.ts).
    const rows = await deps.messages.list({ limit: PAGE_ROWS, ...(business === undefined ? {} : { businessId: parseId(business, 'Business') }), ...(direction ? { direction } : {}) });
    return renderPage(req, reply, 'messages.eta', { title: 'Messages', rows, business: business ?? '', direction: direction ?? '', businesses: await deps.businesses.list(), limit: PAGE_ROWS });
  });

  app.get<{ Querystring: { business?: string } }>('/optouts', async (req, reply) => {
    const business = queryText(req.query.business);
    // The same query as `callkeeper optout list`.
    const rows = await deps.messages.optOuts(business === undefined ? {} : { businessId: parseId(business, 'Business') });
    return renderPage(req, reply, 'optouts.eta', { title: 'Opt-outs', rows, business: business ?? '', businesses: await deps.businesses.list() });
  });
}
