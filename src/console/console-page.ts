import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatTime } from './console-format.ts';

export const VIEWS_DIR = fileURLToPath(new URL('./views/', import.meta.url));
const CSS = readFileSync(new URL('./assets/console.css', import.meta.url), 'utf8');
/** The stylesheet is inlined (the sign-in page has no session to fetch it with) and allowed by its hash. */
const CSS_HASH = createHash('sha256').update(CSS).digest('base64');
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'sha256-${CSS_HASH}'`,
  "img-src 'self' data:",
  "media-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export interface PageData {
  readonly title: string;
  readonly [key: string]: unknown;
}

/** Renders a page inside the layout, with what every page needs (user, CSRF token, navigation). */
export async function renderPage(req: FastifyRequest, reply: FastifyReply, template: string, data: PageData, status = 200): Promise<FastifyReply> {
  const csrfToken = await reply.generateCsrf();
  return reply.code(status).view(template, { ...data, user: req.consoleUser ?? null, csrfToken, path: req.url.split('?')[0], css: CSS, t: formatTime });
}

