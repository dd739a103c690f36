import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { describeProgram } from '../domain/compliance/program-description.ts';
import type { AsyncBusinessDirectory } from '../domain/ports/async-stores.ts';
import type { ProgramSettings } from '../domain/compliance/program-description.ts';
import { renderOptInPage } from '../compliance/opt-in-page.ts';

/**
 * The public opt-in page of each business at `/optin/<id>` (no sign-in, no personal data): rendered
 * on every request from the live configuration, so the page says what a call says and texts
 * (src/compliance/README.md). A plugin of its own, beside the console, so the console's sign-in
 * hook never covers it and it never sees a session. Businesses come from serve's store (SQLite or
 * PostgreSQL), so every node serves the same pages.
 */
export function optInPlugin(deps: { businesses: Pick<AsyncBusinessDirectory, 'byId'>; settings: ProgramSettings }): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { id: string } }>('/optin/:id', async (req, reply) => {
      const id = /^[1-9][0-9]{0,9}$/.test(req.params.id) ? Number(req.params.id) : NaN;
      const business = Number.isNaN(id) ? undefined : await deps.businesses.byId(id);
      if (!business) return reply.code(404).type('text/plain; charset=utf-8').send('no such business');
      const page = renderOptInPage(describeProgram(business, deps.settings));
      return reply
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'")
        .type('text/html; charset=utf-8')
        .send(page);
    });
  };
}
