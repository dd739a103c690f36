import type { FastifyInstance } from 'fastify';
import { signIn } from '../app/console/console-users.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { renderPage } from './console-page.ts';

/** Five sign-in attempts per minute per client address: enough for typos, too few to guess passwords. */
const SIGN_IN_LIMIT = { max: 5, timeWindow: 60_000 };

/** A `next` that stays on this console (a path, never `//host` or a scheme). */
function safeNext(v: unknown): string {
  return typeof v === 'string' && /^\/(?![/\\])[^\s]*$/.test(v) && !v.startsWith('/login') ? v : '/';
}

export function registerAuthRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get<{ Querystring: { next?: string } }>('/login', { config: { console: { public: true } } }, async (req, reply) => {
    if (req.session.get('userId') !== undefined && (await deps.accounts.byId(req.session.get('userId')!))) return reply.redirect(safeNext(req.query.next), 303);
    return renderPage(req, reply, 'login.eta', { title: 'Sign in', next: safeNext(req.query.next), failed: false });
  });

  app.post<{ Body: { username?: string; password?: string; next?: string } }>(
    '/login',
    { config: { console: { public: true }, rateLimit: SIGN_IN_LIMIT } },
    async (req, reply) => {
      const username = typeof req.body?.username === 'string' ? req.body.username.trim() : '';
      const password = typeof req.body?.password === 'string' ? req.body.password : '';
      const user = username === '' || password === '' ? null : await signIn(deps.accounts, username, password);
      if (!user) {
        deps.logger?.warn({ username }, 'console sign-in refused');
        return renderPage(req, reply, 'login.eta', { title: 'Sign in', next: safeNext(req.body?.next), failed: true }, 401);
      }
      // A new session id on sign-in, so that a session fixed before it is worth nothing after.
      await req.session.regenerate();
      req.session.set('userId', user.id);
      deps.logger?.info({ username: user.username, role: user.role }, 'console sign-in');
      return reply.redirect(safeNext(req.body?.next), 303);
    },
  );

  app.post('/logout', async (req, reply) => {
    await req.session.destroy();
    return reply.redirect('/login', 303);
  });
}
