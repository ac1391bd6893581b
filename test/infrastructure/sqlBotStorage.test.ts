import { freshDatabase } from '../support/database';
import { storageContract } from './storageContract';

describe('SqlBotStorage on PGlite', () => {
  storageContract(freshDatabase);
});
