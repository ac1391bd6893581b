import type { Config } from '../config';
import type { PlainRequest, PlainResponse, TabHandler } from '../server';
import type { LicenseService } from '../services/licenseService';
import type { OrderService } from '../services/orderService';
import { OrderVisibility } from '../services/orderVisibility';
import type { AccessService } from '../services/accessService';
import type { AccessDirectory, Clock, Log } from '../services/ports';
import { SsoTokenValidator } from './ssoTokenValidator';
import { json, methodNotAllowed, refused, TabApi } from './tabApi';
import { TabAccessApi } from './tabAccessApi';
import { TabAssets, tabProjectRoot } from './tabAssets';
import { TabAuthentication } from './tabAuthentication';
import { MESSAGES_PATH, tabMessages } from './tabMessages';

export interface TabDependencies {
  readonly config: Config;
  readonly licenses: LicenseService;
  readonly orders: OrderService;
  readonly directory: AccessDirectory;
  /** Managing access (the Access page); every request first re-reads access if it changed. */
  readonly access?: AccessService;
  readonly clock: Clock;
  readonly log: Log;
}

/** The Licenses tab: its page, its scripts and its API, all under /tab/. */
export function createTabHandler(deps: TabDependencies): TabHandler {
  const { config, licenses, orders, directory, clock, log } = deps;
  const sso = config.localDevelopment
    ? undefined
    : new SsoTokenValidator(
        {
          appId: config.bot.appId,
          botDomain: config.tab.botDomain,
          jwksUrl: config.tab.ssoJwksUrl,
          allowedTenantIds: config.allowedTenantIds,
        },
        clock,
      );
  const api: TabApi = new TabApi({
    authentication: new TabAuthentication({
      localDevelopment: config.localDevelopment,
      sso,
      directory,
      log,
    }),
    licenses,
    orders,
    visibility: new OrderVisibility(orders, directory),
    maxSeatsPerOrder: config.orders.maxSeatsPerOrder,
    ...(deps.access
      ? {
          access: new TabAccessApi(deps.access, {
            json,
            refused: (refusal, audience) => refused(refusal, audience),
            methodNotAllowed,
            withJsonBody: (request, next): Promise<PlainResponse> => api.withJsonBody(request, next),
          }),
        }
      : {}),
  });
  const assets = new TabAssets(tabProjectRoot(), log);

  return {
    async handle(request: PlainRequest): Promise<PlainResponse> {
      if (request.path.startsWith('/tab/api/')) {
        await deps.access?.refresh();
        return api.handle(request);
      }
      if (request.path === MESSAGES_PATH)
        return request.method === 'GET' ? tabMessages(request) : methodNotAllowed('GET');
      return assets.serve(request.path);
    },
  };
}
