import { randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import session from '@fastify/session';
import view from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { isAppError } from '../domain/errors.ts';
import type { ConsoleRole, ConsoleUser } from '../domain/ports/console-accounts.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { ConsoleSessionStoreAdapter } from './console-session-store.ts';
import { registerAuthRoutes } from './console-auth-routes.ts';
import { registerBusinessRoutes } from './console-business-routes.ts';
import { registerCallRoutes } from './console-call-routes.ts';
import { registerConsentRoutes } from './console-consent-routes.ts';
import { registerMessageRoutes } from './console-message-routes.ts';
import { registerStatusRoutes } from './console-status-routes.ts';
import { registerComplianceRoutes } from './console-compliance-routes.ts';
import { CSP, VIEWS_DIR, renderPage } from './console-page.ts';

declare module 'fastify' {
  interface Session {
    userId?: number;
  }
  interface FastifyRequest {
    consoleUser?: ConsoleUser;
  }
  interface FastifyContextConfig {
    /** `public`: reachable without a session (the sign-in page only); `admin`: admins only. */
    console?: { public?: boolean; role?: ConsoleRole };
  }
}

/** A session lasts 8 hours of inactivity (a working day); each request renews it. */
export const SESSION_MAX_AGE_MS = 8 * 60 * 60 * 1000;
export const SESSION_COOKIE = 'ck_session';

/**
 * The web console as a fastify plugin mounted on the admin port (src/console/README.md): cookie,
 * database-backed session, form bodies, CSRF on every POST, a sign-in rate limit, eta views; every
 * route requires a signed-in user unless its config says `console.public` (only the sign-in page).
 */
export function consolePlugin(deps: ConsoleDeps, opts: { secureCookies: boolean }): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    await app.register(cookie);
    await app.register(session, {
      secret: await deps.sessions.cookieSecret(() => randomBytes(48).toString('base64url')),
      cookieName: SESSION_COOKIE,
      // Secure when the console is reached through the TLS proxy (admin.trustProxy). Not @fastify/session's
      // 'auto': on plain HTTP it lowers SameSite to Lax, and Strict is what keeps other sites' links out.
      cookie: { httpOnly: true, sameSite: 'strict', secure: opts.secureCookies, path: '/', maxAge: SESSION_MAX_AGE_MS },
      store: new ConsoleSessionStoreAdapter(deps.sessions, () => deps.clock.now(), SESSION_MAX_AGE_MS),
      saveUninitialized: false,
      rolling: true,
    });
    await app.register(formbody, { bodyLimit: 64 * 1024 });
    await app.register(csrf, { sessionPlugin: '@fastify/session' });
    await app.register(rateLimit, { global: false });
    await app.register(view, {
      engine: { eta: new Eta({ views: VIEWS_DIR, autoEscape: true, cache: true }) },
      root: VIEWS_DIR,
      layout: 'layout.eta',
    });

    app.addHook('onRequest', async (req, reply) => {
      const rule = req.routeOptions.config?.console;
      if (rule?.public) return;
      const userId = req.session.get('userId');
      const user = userId === undefined ? undefined : await deps.accounts.byId(userId);
      if (!user) {
        if (req.method === 'GET' || req.method === 'HEAD') return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
        return reply.code(401).type('text/plain; charset=utf-8').send('sign in first');
      }
      req.consoleUser = user;
      if (rule?.role === 'admin' && user.role !== 'admin') {
        return reply.code(403).type('text/plain; charset=utf-8').send('admins only');
      }
    });
    // Every change goes through a POST with the session's CSRF token (forms carry it as `_csrf`).
    app.addHook('preHandler', (req, reply, done) => {
      if (req.method === 'POST') return app.csrfProtection(req, reply, done);
      done();
    });
    app.addHook('onSend', async (_req, reply, payload) => {
      reply.header('Content-Security-Policy', CSP);
      reply.header('X-Content-Type-Options', 'nosniff');
      reply.header('X-Frame-Options', 'DENY');
      reply.header('Referrer-Policy', 'same-origin');
      if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
      return payload;
    });
    app.setErrorHandler(async (err, req, reply) => {
      const e = err as Error & { statusCode?: number; code?: string };
      if (isAppError(e)) {
        const status = e.code === 'INPUT.NOT_FOUND' ? 404 : e.code.startsWith('INPUT.') || e.code.startsWith('COMPLIANCE.') ? 400 : 500;
        if (status === 500) deps.logger?.error({ err: e.message, code: e.code }, 'console request failed');
        return renderPage(req, reply, 'error.eta', { title: status === 404 ? 'Not found' : 'Error', message: status === 500 ? 'Something went wrong; see the service log.' : e.message }, status);
      }
      const status = typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
      if (status === 500) deps.logger?.error({ err: e.message }, 'console request failed');
      // CSRF failures, rate limits and bad bodies: one line, no stack, never the input.
      const message = e.code?.startsWith('FST_CSRF') ? 'The form expired or did not come from this console; reload the page and try again.' : status === 429 ? 'Too many sign-in attempts; wait a minute.' : status === 500 ? 'Something went wrong; see the service log.' : 'Bad request.';
      return reply.code(status).type('text/plain; charset=utf-8').send(message);
    });

    registerAuthRoutes(app, deps);
    registerStatusRoutes(app, deps);
    registerComplianceRoutes(app, deps);
    registerCallRoutes(app, deps);
    registerConsentRoutes(app, deps);
    registerMessageRoutes(app, deps);
    registerBusinessRoutes(app, deps);
  };
}
