/** The BusinessDirectory and BusinessRepository contracts over PostgreSQL (src/store/postgres/pg-business-directory.ts), a fresh empty database per test. */
import { PgBusinessDirectory } from '../../src/store/postgres/pg-business-directory.ts';
import { runBusinessDirectoryContract, runBusinessRepositoryContract } from './business-directory-contract.ts';
import { usePgCluster } from './pg-contract-db.ts';

const freshDb = usePgCluster();

runBusinessDirectoryContract('PostgreSQL', async (seed) => {
  const db = await freshDb();
  const directory = new PgBusinessDirectory(db.pool);
  for (const b of seed) await directory.add(b);
  return { directory, close: db.close };
});

runBusinessRepositoryContract('PostgreSQL', async (now) => {
  const db = await freshDb();
  return { repository: new PgBusinessDirectory(db.pool, { now }), close: db.close };
});
