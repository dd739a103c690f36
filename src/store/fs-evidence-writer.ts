import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError } from '../domain/errors.ts';
import type { EvidenceFile, EvidenceManifestEntry, EvidenceWriter } from '../domain/ports/evidence-writer.ts';

/** Writes evidence bundles to a local directory (mode 0700; files 0600: they hold consumers' data). */
export class FsEvidenceWriter implements EvidenceWriter {
  async write(dir: string, files: readonly EvidenceFile[]): Promise<{ written: EvidenceManifestEntry[]; missing: string[] }> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const written: EvidenceManifestEntry[] = [];
    const missing: string[] = [];
    for (const f of files) {
      // Names come from the app, but a bundle must never write outside its directory.
      if (basename(f.name) !== f.name) throw new AppError('INTERNAL', `evidence file name must be a plain name: ${f.name}`);
      const target = join(dir, f.name);
      if ('content' in f) writeFileSync(target, f.content, { mode: 0o600 });
      else if (existsSync(f.copyFrom)) copyFileSync(f.copyFrom, target);
      else {
        missing.push(f.name);
        continue;
      }
      const bytes = readFileSync(target);
      written.push({ name: f.name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
    return { written, missing };
  }
}
