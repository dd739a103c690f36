import { join } from 'node:path';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { migrate, openDatabase, type SqliteDb } from '../../src/store/sqlite-database.ts';
import { InMemoryBusinessDirectory, makeBusiness } from '../fakes/in-memory-business-directory.ts';
import { tempDir } from '../store/store-test-helpers.ts';
import { runBusinessDirectoryContract, runBusinessRepositoryContract } from './business-directory-contract.ts';

function sqlite(): { db: SqliteDb; close(): void } {
  const { dir, cleanup } = tempDir('ck-contract-business-');
  const db = openDatabase(join(dir, 'business.db'));
  migrate(db);
  return {
    db,
    close: () => {
      db.close();
      cleanup();
    },
  };
}

runBusinessDirectoryContract('in-memory fake', (seed) => ({
  directory: new InMemoryBusinessDirectory(
    seed.map((b, i) =>
      makeBusiness({ ...b, id: i + 1, templates: b.templates ?? {}, greeting: b.greeting ?? null, emergencyInstruction: b.emergencyInstruction ?? null }),
    ),
  ),
}));

runBusinessDirectoryContract('SQLite on a temp file', (seed) => {
  const s = sqlite();
  const directory = new SqliteBusinessDirectory(s.db);
  for (const b of seed) directory.add(b);
  return { directory, close: s.close };
});

runBusinessRepositoryContract('SQLite on a temp file', (now) => {
  const s = sqlite();
  return { repository: new SqliteBusinessDirectory(s.db, { now }), close: s.close };
});

runBusinessRepositoryContract('in-memory fake', (now) => ({ repository: new InMemoryBusinessDirectory([], { now }) }));
