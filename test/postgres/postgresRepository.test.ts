import { describeWithPostgres, scratchSchema } from '../support/postgres';
import { repositoryContract } from '../infrastructure/orderRepositoryContract';
import { storageContract } from '../infrastructure/storageContract';

describeWithPostgres('order repository and sandbox storage on PostgreSQL', () => {
  repositoryContract(async () => {
    const schema = await scratchSchema();
    const db = await schema.open();
    return {
      db,
      close: async () => {
        await db.close();
        await schema.drop();
      },
    };
  });
});

describeWithPostgres('botbuilder Storage (eTags) on PostgreSQL', () => {
  const schemas: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const drop of schemas) await drop();
  });
  storageContract(async () => {
    const schema = await scratchSchema();
    schemas.push(() => schema.drop());
    return schema.open();
  });
});
