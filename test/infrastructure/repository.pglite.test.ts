import { freshDatabase } from '../support/database';
import { repositoryContract } from './orderRepositoryContract';

describe('order repository and sandbox storage on the embedded database (PGlite)', () => {
  repositoryContract(async () => {
    const db = await freshDatabase();
    return { db, close: () => db.close() };
  });
});
