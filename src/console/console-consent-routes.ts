import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { requireE164 } from '../app/business/business-input.ts';
import { writeConsentEvidence } from '../app/consent/consent-evidence.ts';
import { parseId } from '../app/consent/consent-input.ts';
import { revokeConsentAtomically } from '../app/consent/revoke-consent.ts';
import { showConsentAsync } from '../app/consent/show-consent.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { queryText } from './console-format.ts';
import { renderPage } from './console-page.ts';
import { tarFiles } from './evidence-tar.ts';

export function registerConsentRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get<{ Querystring: { phone?: string; revoked?: string } }>('/consent', async (req, reply) => {
    const phone = queryText(req.query.phone);
    // The same use case as `callkeeper consent show` (src/app/consent/show-consent.ts).
    const history = phone === undefined ? null : await showConsentAsync(deps.ledger, { consumer: phone });
    const chain = await deps.verifyLedger();
    const records = await Promise.all((history?.events ?? []).map(async (e) => ({ e, record: await deps.ledger.record(e.id) })));
    return renderPage(req, reply, 'consent.eta', {
      title: 'Consent',
      phone: phone ?? '',
      history,
      records,
      chain,
      businesses: await deps.businesses.list(),
      revoked: queryText(req.query.revoked) ?? null,
    });
  });

  // Admins only; the download is written to the audit log (an export of a consumer's records).
  app.get<{ Params: { id: string } }>('/consent/records/:id/evidence.tar', { config: { console: { role: 'admin' } } }, async (req, reply) => {
    const id = parseId(req.params.id, 'record id');
    const dir = await mkdtemp(join(deps.scratchDir, 'evidence-'));
    try {
      const out = join(dir, `evidence-${id}`);
      // The same use case as `callkeeper consent evidence ID --out DIR`, then packed for the browser.
      await writeConsentEvidence({ ledger: deps.ledger, calls: deps.callRecords, writer: deps.evidenceWriter, now: () => deps.clock.now() }, id, out);
      const names = (await readdir(out)).sort((a, b) => (a === 'manifest.json' ? 1 : b === 'manifest.json' ? -1 : a.localeCompare(b)));
      const files = await Promise.all(names.map(async (name) => ({ name, bytes: await readFile(join(out, name)) })));
      const tar = await tarFiles(`evidence-${id}`, files, deps.clock.now());
      await deps.accounts.audit({ at: deps.clock.now(), username: req.consoleUser!.username, action: 'export', target: `record:${id}`, detail: 'evidence bundle downloaded' });
      return reply
        .header('Content-Type', 'application/x-tar')
        .header('Content-Disposition', `attachment; filename="evidence-${id}.tar"`)
        .send(tar);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  app.post<{ Body: { phone?: string; business?: string; reason?: string } }>('/consent/revoke', { config: { console: { role: 'admin' } } }, async (req, reply) => {
    const phone = requireE164(String(req.body?.phone ?? ''), 'the phone number');
    const businessId = parseId(String(req.body?.business ?? ''), 'Business');
    const user = req.consoleUser!;
    // The same use case as `callkeeper consent revoke`: the admin revocation in the ledger and the
    // consumer's queued texts for the business cancelled, in one transaction.
    const { event: e, cancelled } = await revokeConsentAtomically(
      { ...deps.revocation, clock: deps.clock },
      { consumer: phone, businessId, reason: String(req.body?.reason ?? ''), actor: user.username, via: 'console' },
    );
    await deps.accounts.audit({ at: deps.clock.now(), username: user.username, action: 'revoke', target: `${phone}@business:${businessId}`, detail: `ledger record ${e.id}` });
    deps.logger?.info({ username: user.username, businessId, consumer: phone, record: e.id, cancelled }, 'consent revoked from the console');
    return reply.redirect(`/consent?phone=${encodeURIComponent(phone)}&revoked=${e.id}`, 303);
  });
}
