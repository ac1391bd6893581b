import type { Config } from '../config';
import type { PlainRequest, PlainResponse, TabHandler } from '../server';
import type { LicenseService } from '../services/licenseService';
import type { OrderService } from '../services/orderService';
import type { AccessDirectory, Clock, Log } from '../services/ports';

export interface TabDependencies {
  readonly config: Config;
  readonly licenses: LicenseService;
  readonly orders: OrderService;
  readonly directory: AccessDirectory;
  readonly clock: Clock;
  readonly log: Log;
}

/** The Licenses tab: its page, its scripts and its API, all under /tab/. */
export function createTabHandler(deps: TabDependencies): TabHandler {
  void deps;
  return {
    async handle(request: PlainRequest): Promise<PlainResponse> {
      return { status: 404, body: { error: `No ${request.path} here.` } };
    },
  };
}
