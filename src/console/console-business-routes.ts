import type { FastifyInstance } from 'fastify';
import { TEMPLATE_KEYS } from '../app/business/business-input.ts';
import { writeBusiness } from '../app/business/staged-business-write.ts';
import { updateBusiness } from '../app/business/update-business.ts';
import { parseId } from '../app/consent/consent-input.ts';
import type { Business, TemplateKey } from '../domain/business.ts';
import { AppError } from '../domain/errors.ts';
import { DEFAULT_TEMPLATES, renderTemplate } from '../domain/messaging/message-templates.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { queryText } from './console-format.ts';
import { renderPage } from './console-page.ts';

/** A template is one SMS or a few; anything longer is a mistake, not a text. */
const MAX_TEMPLATE_CHARS = 1000;

function requireKey(v: unknown): TemplateKey {
  if (typeof v !== 'string' || !(TEMPLATE_KEYS as readonly string[]).includes(v)) throw new AppError('INPUT.INVALID', `the template must be one of ${TEMPLATE_KEYS.join(', ')}`);
  return v as TemplateKey;
}

async function requireBusiness(deps: ConsoleDeps, idText: string): Promise<Business> {
  const id = parseId(idText, 'business id');
  const b = await deps.businesses.byId(id);
  if (!b) throw new AppError('INPUT.NOT_FOUND', `no business with id ${id}`);
  return b;
}

/** The exact text a template gives (placeholders filled as a call fills them, footer, GSM-safe) and its SMS count. */
function preview(b: Business, key: TemplateKey, text: string): { ok: true; text: string; parts: number; encoding: string } | { ok: false; error: string } {
  try {
    const r = renderTemplate({ name: b.name, templates: { ...b.templates, [key]: text } }, key);
    return { ok: true, text: r.text, parts: r.parts, encoding: r.encoding };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export function registerBusinessRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/businesses', async (req, reply) => {
    return renderPage(req, reply, 'businesses.eta', { title: 'Businesses', businesses: await deps.businesses.list() });
  });

  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>('/businesses/:id', async (req, reply) => {
    const b = await requireBusiness(deps, req.params.id);
    const templates = TEMPLATE_KEYS.map((key) => {
      const text = b.templates[key] ?? DEFAULT_TEMPLATES[key];
      return { key, text, custom: b.templates[key] !== undefined, preview: preview(b, key, text) };
    });
    return renderPage(req, reply, 'business.eta', { title: b.name, b, templates, staff: await deps.staff.list(b.id), saved: queryText(req.query.saved) ?? null });
  });

  app.get<{ Params: { id: string }; Querystring: { key?: string; text?: string } }>('/businesses/:id/preview', async (req, reply) => {
    const b = await requireBusiness(deps, req.params.id);
    const text = String(req.query.text ?? '').slice(0, MAX_TEMPLATE_CHARS);
    return reply.header('Cache-Control', 'no-store').send(preview(b, requireKey(req.query.key), text));
  });

  app.post<{ Params: { id: string }; Body: { key?: string; text?: string; force?: string } }>('/businesses/:id/templates', { config: { console: { role: 'admin' } } }, async (req, reply) => {
    const b = await requireBusiness(deps, req.params.id);
    const key = requireKey(req.body?.key);
    const text = String(req.body?.text ?? '').trim();
    if (text === '' || text.length > MAX_TEMPLATE_CHARS) throw new AppError('INPUT.INVALID', `the template text must be 1-${MAX_TEMPLATE_CHARS} characters`);
    const p = preview(b, key, text);
    if (!p.ok) throw new AppError('INPUT.INVALID', p.error);
    // The same use case as `callkeeper business update ID --template KEY=TEXT`.
    // A text that breaks a carrier rule is refused, naming the rule, unless the admin ticks "save anyway".
    const force = req.body?.force === 'on';
    // Its checks run on the business read above; the one write it asks for goes through the async port.
    await writeBusiness(deps.businesses, (staging) => updateBusiness(staging, b.id, { templates: [`${key}=${text}`], force }), b);
    await deps.accounts.audit({ at: deps.clock.now(), username: req.consoleUser!.username, action: 'template', target: `business:${b.id}/${key}`, detail: force ? `forced: ${text}` : text });
    return reply.redirect(`/businesses/${b.id}?saved=${key}`, 303);
  });

  app.get<{ Querystring: { business?: string } }>('/staff', async (req, reply) => {
    const business = queryText(req.query.business);
    const businessId = business === undefined ? undefined : parseId(business, 'Business');
    const businesses = await deps.businesses.list();
    return renderPage(req, reply, 'staff.eta', { title: 'Staff', staff: await deps.staff.list(businessId), businesses, business: business ?? '', names: new Map(businesses.map((x) => [x.id, x.name])) });
  });
}
