import type { FastifyInstance } from 'fastify';
import { listedBusinessDirectory } from '../app/business/listed-business-directory.ts';
import { checkBusinesses } from '../app/compliance/check-compliance.ts';
import { describeViolation } from '../domain/compliance/compliance-rules.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { renderPage } from './console-page.ts';

/** The console's view of `callkeeper compliance check`: each business against the carrier rules, with its public page. */
export function registerComplianceRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/compliance', async (req, reply) => {
    const report = checkBusinesses(listedBusinessDirectory(await deps.businesses.list()), deps.programSettings).map((r) => ({
      business: r.business,
      problems: r.violations.map(describeViolation),
    }));
    return renderPage(req, reply, 'compliance.eta', { title: 'Compliance', report });
  });
}
