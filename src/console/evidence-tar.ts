/**
 * Packs an evidence bundle's files into one POSIX ustar archive (`tar xf` gives the directory
 * `consent evidence --out` writes). No archive library is installed (src/console/README.md); the
 * format is small: a 512-byte header per file, the bytes padded to 512, two zero blocks at the end.
 * Names are the bundle's plain file names (the EvidenceWriter refuses anything else), under one folder.
 */
const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mtimeS: number): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  if (Buffer.byteLength(name) > 100) throw new RangeError(`tar entry name too long: ${name}`);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o600, 8), 100, 'ascii'); // mode: the bundle holds consumers' data
  h.write(octal(0, 8), 108, 'ascii'); // uid
  h.write(octal(0, 8), 116, 'ascii'); // gid
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtimeS, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii'); // checksum placeholder: eight spaces while summing
  h.write('0', 156, 'ascii'); // regular file
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

export function tarFiles(folder: string, files: ReadonlyArray<{ name: string; bytes: Buffer }>, mtimeMs: number): Buffer {
  const parts: Buffer[] = [];
  const mtimeS = Math.floor(mtimeMs / 1000);
  for (const f of files) {
    parts.push(header(`${folder}/${f.name}`, f.bytes.length, mtimeS), f.bytes);
    const pad = (BLOCK - (f.bytes.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}
