import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The in-repo config templates (test/engines/asterisk-etc, test/engines/freeswitch-conf). */
export const TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Copies a template folder into `to`, replacing every `@NAME@` with `values[NAME]`. A placeholder
 * without a value is an error: a half-filled config would fail later with a less clear message.
 */
export function renderTemplates(from: string, to: string, values: Record<string, string | number>): void {
  for (const file of walk(from)) {
    const text = readFileSync(file, 'utf8').replace(/@([A-Z_]+)@/g, (whole, name: string) => {
      const v = values[name];
      if (v === undefined) throw new Error(`${relative(TEMPLATES_DIR, file)}: no value for ${whole}`);
      return String(v);
    });
    const out = join(to, relative(from, file));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
