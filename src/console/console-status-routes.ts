import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { DayCount } from '../domain/ports/console-stats.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { renderPage } from './console-page.ts';

const DAY_MS = 86_400_000;
/** The dashboard's window: a month shows weekly rhythm without crowding the chart. */
const DASHBOARD_DAYS = 30;
const ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url));
/** chart.js from node_modules (the installed, maintained build; no CDN), by a fixed file name. */
const CHART_DIR = dirname(createRequire(import.meta.url).resolve('chart.js'));

function days(now: number): string[] {
  const out: string[] = [];
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  for (let i = DASHBOARD_DAYS - 1; i >= 0; i--) out.push(new Date(today - i * DAY_MS).toISOString().slice(0, 10));
  return out;
}

function series(labels: string[], rows: DayCount[]): Array<{ label: string; data: number[] }> {
  const keys = [...new Set(rows.map((r) => r.key))].sort();
  return keys.map((key) => ({ label: key, data: labels.map((d) => rows.find((r) => r.day === d && r.key === key)?.n ?? 0) }));
}

/** JSON inside a <script type="application/json">: `<` escaped so no text can close the element. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

export function registerStatusRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  void app.register(fastifyStatic, { root: [ASSETS_DIR, CHART_DIR], serve: false });

  app.get('/assets/console.js', async (_req, reply) => reply.header('Cache-Control', 'private, max-age=300').sendFile('console.js', ASSETS_DIR));
  app.get('/assets/chart.js', async (_req, reply) => reply.header('Cache-Control', 'private, max-age=3600').sendFile('chart.umd.min.js', CHART_DIR));

  app.get('/', async (req, reply) => {
    const now = deps.clock.now();
    const labels = days(now);
    const since = Date.parse(`${labels[0]}T00:00:00Z`);
    const calls = series(labels, await deps.stats.callsPerDay(since));
    const consentRows = await deps.stats.consentPerDay(since);
    const consentRate = labels.map((d) => {
      const of = (k: string): number => consentRows.find((r) => r.day === d && r.key === k)?.n ?? 0;
      const asked = of('granted') + of('declined') + of('unclear');
      return asked === 0 ? null : Math.round((of('granted') / asked) * 1000) / 10;
    });
    const texts = await deps.stats.textsByState();
    const latency = await deps.decisionLatency();
    const data = { labels, calls, consentRate, texts, latency };
    const totals = { calls: calls.reduce((n, s) => n + s.data.reduce((a, b) => a + b, 0), 0), texts: texts.reduce((n, t) => n + t.n, 0) };
    return renderPage(req, reply, 'dashboard.eta', { title: 'Dashboard', data, dataJson: scriptJson(data), totals });
  });

  app.get('/health', async (req, reply) => {
    const checks = deps.readiness();
    return renderPage(req, reply, 'health.eta', {
      title: 'Health',
      engine: deps.engineName,
      checks: Object.entries(checks),
      queueDepth: await deps.stats.queueDepth(),
      errors: await deps.stats.recentErrors(20),
    });
  });

  app.get('/audit', { config: { console: { role: 'admin' } } }, async (req, reply) => {
    return renderPage(req, reply, 'audit.eta', { title: 'Audit log', entries: await deps.accounts.recentAudit(200) });
  });
}
