import { createHash } from 'node:crypto';
import { closeSync, constants, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError } from '../domain/errors.ts';
import type { EvidenceBundle, EvidenceFile, EvidenceManifestEntry, EvidenceWriteResult, EvidenceWriter } from '../domain/ports/evidence-writer.ts';
import { openRegularUnderRoots } from './path-under-roots.ts';

/** Linux has it; where the platform does not, 'wx' alone still refuses a link in the last component. */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Writes evidence bundles to a local directory (mode 0700; files 0600: they hold consumers' data).
 *
 * What a bundle copies comes from the ledger, and an imported record can name any path as its audio
 * (a secret file, the live database): only regular files whose real path, after every symlink, lies
 * under one of `sourceRoots` (the recordings directories) are copied; anything else is listed as
 * refused. The output side never follows a link either: the directory must be new or empty and not a
 * link, and each file is created exclusively (O_EXCL | O_NOFOLLOW), so a link planted there is an error
 * instead of a way to overwrite its target.
 */
export class FsEvidenceWriter implements EvidenceWriter {
  private readonly sourceRoots: readonly string[];

  constructor(opts: { sourceRoots: readonly string[] }) {
    this.sourceRoots = opts.sourceRoots.map((r) => resolve(r));
  }

  async create(dir: string): Promise<EvidenceBundle> {
    const base = makeEmptyDir(dir);
    return { write: async (files) => this.writeFiles(dir, base, files) };
  }

  private writeFiles(dir: string, base: string, files: readonly EvidenceFile[]): EvidenceWriteResult {
    const written: EvidenceManifestEntry[] = [];
    const missing: string[] = [];
    const refused: string[] = [];
    for (const f of files) {
      // Names come from the app, but a bundle must never write outside its directory.
      if (basename(f.name) !== f.name || f.name === '.' || f.name === '..') throw new AppError('INTERNAL', `evidence file name must be a plain name: ${f.name}`);
      let bytes: Buffer;
      if ('content' in f) bytes = Buffer.from(f.content, 'utf8');
      else {
        const source = this.readSource(f.copyFrom);
        if (source === 'missing') missing.push(f.name);
        if (source === 'refused') refused.push(f.name);
        if (typeof source === 'string') continue;
        bytes = source;
      }
      createFile(dir, join(base, f.name), bytes);
      written.push({ name: f.name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
    return { written, missing, refused };
  }

  /** The bytes of a recording, or why not: gone, or not a regular file under a recordings directory. */
  private readSource(path: string): Buffer | 'missing' | 'refused' {
    const opened = openRegularUnderRoots(path, this.sourceRoots);
    if (typeof opened === 'string') return opened;
    try {
      return readFileSync(opened.fd);
    } finally {
      closeSync(opened.fd);
    }
  }
}

/** Creates `dir` (0700), or accepts it when it is an empty directory; returns its real path. */
function makeEmptyDir(dir: string): string {
  const parent = dirname(resolve(dir));
  try {
    mkdirSync(parent, { recursive: true, mode: 0o700 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? `${parent} is not a directory` : (code ?? (e as Error).message);
    throw new AppError('INPUT.INVALID', `cannot create ${dir}: ${why}`, { cause: e });
  }
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') throw new AppError('INPUT.INVALID', `cannot create ${dir}: ${code ?? (e as Error).message}`, { cause: e });
    const st = lstatSync(dir);
    if (st.isSymbolicLink()) throw new AppError('INPUT.INVALID', `${dir} is a symbolic link; give a new or empty directory`);
    if (!st.isDirectory()) throw new AppError('INPUT.INVALID', `${dir} exists and is not a directory`);
    if (readdirSync(dir).length > 0) throw new AppError('INPUT.INVALID', `${dir} is not empty; give a new or empty directory`);
  }
  return realpathSync(dir);
}

function createFile(dir: string, target: string, bytes: Buffer): void {
  let fd: number;
  try {
    fd = openSync(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ELOOP' ? 'something else created it meanwhile' : (code ?? (e as Error).message);
    throw new AppError('INPUT.INVALID', `cannot create ${basename(target)} in ${dir}: ${why}`, { cause: e });
  }
  try {
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
  } finally {
    closeSync(fd);
  }
}
