import { pack } from 'tar-stream';

/**
 * Packs an evidence bundle's files into one tar archive (`tar xf` gives the directory
 * `consent evidence --out` writes), with tar-stream: the bundle is a few files, so it is built whole
 * in memory and sent in one reply. Names are the bundle's plain file names (the EvidenceWriter
 * refuses anything else), under one folder; mode 0600, the bundle holds a consumer's data.
 */
export async function tarFiles(folder: string, files: ReadonlyArray<{ name: string; bytes: Buffer }>, mtimeMs: number): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    p.on('data', (c: unknown) => chunks.push(c as Buffer));
    p.on('end', () => resolve(Buffer.concat(chunks)));
    p.on('error', reject);
  });
  for (const f of files) p.entry({ name: `${folder}/${f.name}`, size: f.bytes.length, mode: 0o600, mtime: new Date(mtimeMs) }, f.bytes);
  p.finalize();
  return done;
}
