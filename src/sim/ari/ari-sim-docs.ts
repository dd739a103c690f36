import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The ARI Swagger 1.1 documents the simulator serves: ari-client builds its methods from them at
 * connect time. They are the Asterisk 22.10.1 `rest-api/` documents kept beside this file
 * (`api-docs/SOURCE.txt`), so a clone or an installed package (`callkeeper demo`) needs nothing
 * else; the `apiDocsDir` option overrides them (another Asterisk version's documents).
 */
export function locateApiDocs(explicit?: string): string {
  const dir = explicit ?? join(dirname(fileURLToPath(import.meta.url)), 'api-docs');
  if (!existsSync(join(dir, 'resources.json'))) throw new Error(`ARI api-docs not found (no resources.json in ${dir})`);
  return dir;
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
