/**
 * Requests to the console through fastify inject, as a browser makes them: the session cookie a response
 * sets, the CSRF token a page carries, a form post with both.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';

export function cookieOf(res: { headers: Record<string, unknown> }): string {
  const set = res.headers['set-cookie'];
  const all = Array.isArray(set) ? set : typeof set === 'string' ? [set] : [];
  const c = all.find((x: string) => x.startsWith('ck_session='))?.split(';')[0];
  assert.ok(c, 'the response sets the session cookie');
  return c;
}

export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'the page carries a CSRF token');
  return m[1]!;
}

export const form = (cookie: string, url: string, fields: Record<string, string>) => ({
  method: 'POST' as const,
  url,
  headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
});

/** Signs `who` in through the sign-in page; returns the session cookie. */
export async function signIn(app: FastifyInstance, who: { username: string; password: string }): Promise<string> {
  const login = await app.inject({ method: 'GET', url: '/login' });
  const res = await app.inject(form(cookieOf(login), '/login', { _csrf: csrfOf(login.body), username: who.username, password: who.password, next: '/' }));
  assert.equal(res.statusCode, 303, `${who.username} signs in`);
  return cookieOf(res);
}
