import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { ALEX, SUBSCRIPTIONS, TENANT_ID } from '../support/demoUsers';
import { silentLog } from '../support/testApp';

describe('the embedded database on disk', () => {
  it('keeps orders and quantities across a restart (data directory from DATA_DIR)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'license-desk-data-'));
    try {
      const config = loadConfig({ DATA_DIR: dataDir, PORT: '0' });
      const first = await createApp(config, silentLog);
      const order = await first.orders.request(
        { id: ALEX.aadObjectId, name: ALEX.name, tenantId: TENANT_ID },
        SUBSCRIPTIONS.businessStandard,
        'increase',
        5,
      );
      if (!order.ok) throw new Error(order.refusal.code);
      await first.orders.approve(
        { id: ALEX.aadObjectId, name: ALEX.name, tenantId: TENANT_ID },
        order.value.id,
      );
      await first.close();

      const second = await createApp(config, silentLog);
      expect(await second.orders.get(order.value.id)).toMatchObject({
        state: 'completed',
        targetQuantity: 30,
      });
      expect((await second.provider.getSubscription(SUBSCRIPTIONS.businessStandard))?.quantity).toBe(30);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
