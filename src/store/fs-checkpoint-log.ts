import { closeSync, constants, fstatSync, fsyncSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../domain/errors.ts';
import { checkpointLine, type LedgerCheckpoint } from '../domain/ledger/ledger-checkpoint.ts';
import type { CheckpointLog } from '../domain/ports/checkpoint-log.ts';

/** The newest line is looked for in this much of the file's end: a line is ~400 bytes. */
const TAIL_BYTES = 8192;

/**
 * Signed ledger checkpoints in an append-only text file beside the database, one JSON line
 * each. Every append opens the file with O_APPEND (a second writer can only add after the end, never
 * overwrite), writes the whole line in one write and fsyncs before returning; checkpoints are minutes
 * apart, so the open per append costs nothing that matters. Mode 0644: the lines hold hashes, counts and
 * times, no consumer data, and are meant to be copied off the machine (src/store/README.md).
 */
export class FsCheckpointLog implements CheckpointLog {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  lines(): string[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new AppError('INPUT.INVALID', `cannot read checkpoint file ${this.path}: ${(e as Error).message}`, { cause: e });
    }
    if (text === '') return [];
    // The writer ends every line with \n: a last line without one is kept, for the verifier to judge.
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines;
  }

  lastLine(): string | undefined {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new AppError('INPUT.INVALID', `cannot read checkpoint file ${this.path}: ${(e as Error).message}`, { cause: e });
    }
    try {
      const size = fstatSync(fd).size;
      const len = Math.min(size, TAIL_BYTES);
      const buf = Buffer.alloc(len);
      let got = 0;
      while (got < len) {
        const n = readSync(fd, buf, got, len - got, size - len + got);
        if (n === 0) break;
        got += n;
      }
      const text = buf.subarray(0, got).toString('utf8').replace(/\n$/, '');
      if (text === '') return undefined;
      const nl = text.lastIndexOf('\n');
      // Without a newline in the tail, the whole tail is one line only if it is the whole file.
      if (nl < 0 && size > len) return this.lines().at(-1);
      return text.slice(nl + 1);
    } finally {
      closeSync(fd);
    }
  }

  append(checkpoint: LedgerCheckpoint): void {
    let fd: number;
    let created = false;
    try {
      try {
        fd = openSync(this.path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL, 0o644);
        created = true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        fd = openSync(this.path, constants.O_WRONLY | constants.O_APPEND);
      }
    } catch (e) {
      throw new AppError('INPUT.INVALID', `cannot write checkpoint file ${this.path}: ${(e as Error).message}`, { cause: e });
    }
    try {
      // A torn last line (a crash mid-write) stays visible as a damaged line rather than being glued to this one.
      const torn = !created && fstatSync(fd).size > 0 && !this.endsWithNewline();
      const bytes = Buffer.from(`${torn ? '\n' : ''}${checkpointLine(checkpoint)}\n`, 'utf8');
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (created) fsyncDir(dirname(this.path));
  }

  private endsWithNewline(): boolean {
    const fd = openSync(this.path, 'r');
    try {
      const size = fstatSync(fd).size;
      const b = Buffer.alloc(1);
      return size === 0 || (readSync(fd, b, 0, 1, size - 1) === 1 && b[0] === 0x0a);
    } finally {
      closeSync(fd);
    }
  }
}

/** So that a new file's directory entry survives a power cut too. */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the file's own fsync already happened.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
