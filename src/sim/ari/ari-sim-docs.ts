import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The ARI Swagger 1.1 documents the simulator serves: ari-client builds its methods from them at
 * connect time. Looked up in this order: the `apiDocsDir` option, `../shared/asterisk/ari-api-docs`
 * beside the repository (where CI keeps the reference data), then the copy under this folder, so a
 * fresh clone or an installed package (`callkeeper demo`) works without the shared folder.
 */
export function locateApiDocs(explicit?: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const repoRoot = resolve(here, '../../..');
  const candidates = [explicit, resolve(repoRoot, '../shared/asterisk/ari-api-docs'), join(here, 'api-docs')];
  for (const dir of candidates) {
    if (dir && existsSync(join(dir, 'resources.json'))) return dir;
  }
  throw new Error(`ARI api-docs not found (looked in ${candidates.filter(Boolean).join(', ')})`);
}

export class ApiDocs {
  private readonly docs = new Map<string, Record<string, unknown>>();

  constructor(dir: string) {
    this.docs.set('resources', JSON.parse(readFileSync(join(dir, 'resources.json'), 'utf8')) as Record<string, unknown>);
    const index = this.docs.get('resources') as { apis: { path: string }[] };
    for (const api of index.apis) {
      const name = /\/api-docs\/([A-Za-z]+)\.\{format\}/.exec(api.path)?.[1];
      if (name) {
        this.docs.set(name, JSON.parse(readFileSync(join(dir, 'api-docs', `${name}.json`), 'utf8')) as Record<string, unknown>);
      }
    }
  }

  /**
   * The document for `resources` or a resource name, with `basePath` rewritten to the address the
   * client used, as Asterisk does (trace 00 shows `http://127.0.0.1:8088/ari`): swagger-client sends
   * every request to that basePath.
   */
  get(name: string, host: string): Record<string, unknown> | null {
    const doc = this.docs.get(name);
    return doc ? { ...doc, basePath: `http://${host}/ari` } : null;
  }
}
