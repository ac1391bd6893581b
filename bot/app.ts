import { randomUUID } from 'node:crypto';
import {
  CloudAdapter,
  PrivateConversationState,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Config } from './config';
import { migrate } from './infrastructure/database/migrate';
import { PgliteDatabase } from './infrastructure/database/pgliteDatabase';
import { PostgresDatabase } from './infrastructure/database/postgresDatabase';
import type { SqlDatabase } from './infrastructure/database/sqlDatabase';
import { AwayReplies } from './teams/awayReplies';
import { ApprovalDelegations } from './services/approvalDelegations';
import { SqlBotStorage } from './teams/state/sqlBotStorage';
import { systemClock } from './infrastructure/clock';
import { SqlConversationStore } from './infrastructure/conversations/sqlConversationStore';
import { JsonAccessDirectory } from './infrastructure/directory/jsonAccessDirectory';
import { DatabaseAccessDirectory } from './infrastructure/access/databaseAccessDirectory';
import { SqlAccessStore } from './infrastructure/access/sqlAccessStore';
import { GraphPeopleDirectory } from './infrastructure/directory/graphPeopleDirectory';
import { KnownPeopleDirectory } from './infrastructure/directory/knownPeopleDirectory';
import { MsalTokenSource, GRAPH_SCOPE } from './infrastructure/providers/partnerCenter/msalTokenSource';
import { GraphActivityFeed } from './infrastructure/activityFeed/graphActivityFeed';
import { activityFeedHandlers } from './teams/activityFeedDelivery';
import { AccessService } from './services/accessService';
import { SqlDelegationStore } from './infrastructure/delegations/sqlDelegationStore';
import { SqlOrderRepository } from './infrastructure/orders/sqlOrderRepository';
import { SqlOutboxStore } from './infrastructure/outbox/sqlOutboxStore';
import { DEMO_CATALOGUE } from './infrastructure/providers/demoCatalogue';
import { SandboxLicenseProvider } from './infrastructure/providers/sandboxLicenseProvider';
import { createServer, type HttpServer } from './server';
import { createTabHandler } from './tab/tabHandler';
import { BackgroundWork } from './services/backgroundWork';
import { LicenseService } from './services/licenseService';
import { OrderMaintenance } from './services/orderMaintenance';
import { approvalRoutingHandler, cardsRefreshHandler, ORDER_MESSAGES } from './services/orderMessages';
import { OrderService } from './services/orderService';
import { OrderVisibility } from './services/orderVisibility';
import { OutboxWorker } from './services/outboxWorker';
import { RateLimiter } from './services/rateLimiter';
import type { Clock, LicenseProvider, Log, PeopleDirectory } from './services/ports';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { partnerCenterFromSettings } from './infrastructure/providers/partnerCenter/partnerCenterFromSettings';
import { CardActions } from './teams/actions/cardActions';
import { ChangeSeatsDialog } from './teams/dialogs/changeSeatsDialog';
import { BOT_FRAMEWORK_CHANNEL_ISSUER, inboundVerdict } from './teams/inboundGate';
import { LicenseDeskBot } from './teams/licenseDeskBot';
import {
  BoundedBotFrameworkAuthentication,
  isProactive,
  TurnReplyDeadline,
  UndeliverableReply,
} from './teams/outboundLimits';
import { TypingIndicator } from './teams/typingIndicator';
import { ListCards } from './teams/listCards';
import { AccessCards } from './teams/accessCards';
import { RequestCards } from './teams/requestCards';
import { RequestMessageDelivery } from './teams/requestMessageDelivery';
import { LicenseRequests } from './services/licenseRequests';
import { SqlLicenseRequestStore } from './infrastructure/requests/sqlLicenseRequestStore';
import { OrderCards } from './teams/orderCards';
import { OrderMessageDelivery } from './teams/orderMessageDelivery';
import { memberKey, personalChatKey } from './teams/conversationStore';
import { replies } from './teams/presenters/replies';
import { audienceOf } from './teams/identity';
import { ProactiveMessenger } from './teams/proactiveMessenger';

const DAY_MS = 24 * 60 * 60 * 1000;
/** On shutdown, how long the outbox may go on delivering what is already due (platforms allow about 30 s). */
const SHUTDOWN_DELIVERY_GRACE_MS = 10_000;

/** Parts a test may supply instead of the configured ones (an already migrated database, a fake clock). */
export interface AppOverrides {
  readonly database?: SqlDatabase;
  readonly clock?: Clock;
  /** Access to import on the first start instead of ACCESS_FILE's. */
  readonly directory?: JsonAccessDirectory;
  /** Where people are looked up instead of Microsoft Graph or the people License Desk knows. */
  readonly people?: PeopleDirectory;
  /** Options passed to botbuilder's authentication (OpenID metadata of a test key set, for instance). */
  readonly authentication?: Partial<ConfigurationBotFrameworkAuthenticationOptions>;
  /** The bot's own outbound credentials (tests replace the token service). */
  readonly credentialsFactory?: ServiceClientCredentialsFactory;
  readonly maintenanceIntervalMs?: number;
  /** Jitter of retries (submissions and the outbox); Math.random by default. */
  readonly random?: () => number;
  /** The OpenID configuration of a local token endpoint for every MSAL client (MSAL needs https otherwise). */
  readonly msalAuthorityMetadata?: string;
}

export interface App {
  readonly config: Config;
  readonly http: HttpServer;
  readonly adapter: CloudAdapter;
  readonly database: SqlDatabase;
  /** The license provider in use (LICENSE_PROVIDER). */
  readonly provider: LicenseProvider;
  /** The sandbox provider, whether or not it is the one in use: tests and demos adjust it. */
  readonly sandbox: SandboxLicenseProvider;
  readonly orders: OrderService;
  readonly orderRepository: SqlOrderRepository;
  /** Delivers everything the bot sends on its own (README: Reliability). */
  readonly outbox: OutboxWorker;
  readonly outboxStore: SqlOutboxStore;
  readonly licenses: LicenseService;
  /** Who may do what (README: Access): the database's access, re-read when it changed. */
  readonly directory: DatabaseAccessDirectory;
  readonly access: AccessService;
  readonly requests: LicenseRequests;
  readonly conversations: SqlConversationStore;
  readonly actions: CardActions;
  readonly bot: LicenseDeskBot;
  readonly changeSeatsDialog: ChangeSeatsDialog;
  readonly work: BackgroundWork;
  readonly maintenance: OrderMaintenance;
  /**
   * Starts listening and the background loops; resumes submissions and delivers messages a previous run left
   * unfinished.
   */
  start(): Promise<number>;
  /** Graceful stop: no new requests, turns in flight finish, background work ends, database closed. */
  close(): Promise<void>;
}

/** The composition root: configuration -> storage -> services -> dialogs -> bot -> server. */
export async function createApp(config: Config, log: Log, overrides: AppOverrides = {}): Promise<App> {
  const clock = overrides.clock ?? systemClock;
  const database =
    overrides.database ??
    (config.storage.databaseUrl
      ? await PostgresDatabase.open(config.storage.databaseUrl, config.storage.poolSize, (error) =>
          log.warn({ err: error }, 'database connection lost; it is reopened on next use'),
        )
      : await PgliteDatabase.openForService(config.storage.dataDir, (ms) =>
          log.info(
            { dataDir: config.storage.dataDir, initdbMs: Math.round(ms) },
            'embedded database created',
          ),
        ));
  const applied = await migrate(database);
  if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');

  // Access lives in the database; ACCESS_FILE is read once, on the first start (README: Access).
  const accessStore = new SqlAccessStore(database, () => clock.now());
  if ((await accessStore.version()) === undefined) {
    const source = overrides.directory ?? JsonAccessDirectory.fromFile(config.accessFile);
    const from = overrides.directory ? '(given by the caller)' : config.accessFile;
    if (await accessStore.importOnce(source, from))
      log.info(
        { accessFile: from },
        'access imported from ACCESS_FILE; from now on the database holds access (change it in Teams or the tab)',
      );
  } else {
    const imported = await accessStore.importedFrom();
    log.info(
      { importedFrom: imported?.from ?? null, importedAt: imported?.at ?? null },
      config.accessFileSet
        ? 'access read from the database; ACCESS_FILE is no longer read (it was imported on the first start)'
        : 'access read from the database',
    );
  }
  const directory = new DatabaseAccessDirectory(accessStore);
  await directory.refresh();
  const people: PeopleDirectory =
    overrides.people ??
    (config.directory
      ? new GraphPeopleDirectory(
          config.directory.graphUrl,
          config.directory.tenantId,
          msalTokens(config.directory, overrides.msalAuthorityMetadata),
        )
      : new KnownPeopleDirectory(directory));
  const access = new AccessService({
    store: accessStore,
    directory,
    people,
    allowedTenantIds: config.allowedTenantIds,
    log,
  });
  const bootstrapped = await access.bootstrapAdmins(config.accessAdminIds);
  if (bootstrapped > 0)
    log.info(
      { grants: bootstrapped },
      'ACCESS_ADMIN_IDS made Access Admin of the billing profiles that had none',
    );

  // The sandbox's tables exist either way; with Partner Center it is simply not used.
  const sandbox = new SandboxLicenseProvider(
    database,
    clock,
    config.provider.kind === 'sandbox' ? config.provider.latencyMs : 0,
    log,
  );
  let provider: LicenseProvider = sandbox;
  if (config.provider.kind === 'sandbox') await sandbox.seed(DEMO_CATALOGUE);
  else provider = partnerCenterFromSettings(config.provider, log, overrides.msalAuthorityMetadata);

  // Every Bot Connector client (replies and proactive messages alike): a timeout per attempt, a budget per call.
  const authentication = new BoundedBotFrameworkAuthentication(
    {
      MicrosoftAppId: config.bot.appId,
      MicrosoftAppPassword: config.bot.appPassword,
      // Without an app id there is no identity to be single-tenant about: local development, unauthenticated.
      MicrosoftAppType: config.localDevelopment ? 'MultiTenant' : config.bot.appType,
      MicrosoftAppTenantId: config.bot.appTenantId,
      ...overrides.authentication,
    },
    overrides.credentialsFactory,
  );
  const adapter = new CloudAdapter(authentication);
  // Every turn reads access as the database has it now: a grant or revoke on another instance counts at once.
  adapter.use(async (_context, next) => {
    await directory.refresh();
    await next();
  });
  adapter.use(new TurnReplyDeadline(log));
  adapter.use(new TypingIndicator(log));
  adapter.onTurnError = async (context, error) => {
    // Already logged where it happened; the connector is the problem, so nothing more is sent.
    if (error instanceof UndeliverableReply) return;
    const turn = turnOf(context);
    if (!turn) {
      log.error({ err: error }, 'failed after its turn ended');
      return;
    }
    // A message the bot sends on its own: its caller hears of the failure (and may try again later).
    if (turn.proactive) throw error;
    const where = { conversationId: turn.conversationId, activityId: turn.activityId, type: turn.type };
    log.error({ err: error, ...where }, 'turn failed');
    if (where.type !== 'message') return;
    await context.sendActivity(replies.unexpectedErrorIn(audienceOf(context))).catch((sendError: unknown) => {
      log.warn({ err: sendError, ...where }, 'could not tell the user about a failed turn');
    });
  };

  const work = new BackgroundWork(log);
  const conversations = new SqlConversationStore(database, clock, config.outbox.giveUpMs);
  const orderRepository = new SqlOrderRepository(database);
  const outboxStore = new SqlOutboxStore(database, config.outbox.giveUpMs);
  const delegationStore = new SqlDelegationStore(database);
  const cards = new OrderCards(
    directory,
    conversations,
    new ApprovalDelegations({ store: delegationStore, directory, clock }),
  );
  const messenger = new ProactiveMessenger(adapter, config.bot.appId, conversations, log);
  const licenses = new LicenseService(provider, directory, clock);
  // Created before the services, which wake it when they queue messages; its handlers are set below.
  const handlers: Record<string, import('./services/outbox').MessageHandler> = {};
  const outbox = new OutboxWorker({
    store: outboxStore,
    handlers,
    clock,
    log,
    random: overrides.random,
    settings: {
      instanceId: config.instanceId,
      pollIntervalMs: config.outbox.pollIntervalMs,
      leaseMs: config.outbox.leaseMs,
      batchSize: 20,
      backoff: { baseMs: Math.min(2_000, config.outbox.maxBackoffMs), maxMs: config.outbox.maxBackoffMs },
    },
  });
  const orders = new OrderService({
    orders: orderRepository,
    outbox: outboxStore,
    delegations: delegationStore,
    licenses,
    provider,
    directory,
    work,
    clock,
    log,
    newId: randomUUID,
    limiter: new RateLimiter(clock, config.rateLimitPerMinute),
    messagesQueued: () => outbox.wake(),
    random: overrides.random,
    settings: {
      maxSeatsPerOrder: config.orders.maxSeatsPerOrder,
      orderExpiryMs: config.orders.expiryDays * DAY_MS,
      submissionLeaseMs: config.orders.submissionLeaseMs,
      maxSubmissionAttempts: config.orders.maxSubmissionAttempts,
      retryDelayMs: config.orders.submissionRetryMs,
      notificationGiveUpMs: config.outbox.giveUpMs,
      instanceId: config.instanceId,
      approvalReminderMs: config.orders.approvalReminderMs,
      approvalEscalateMs: config.orders.approvalEscalateMs,
      activityFeed: config.activityFeed !== undefined,
    },
  });
  const requests = new LicenseRequests({
    store: new SqlLicenseRequestStore(database),
    licenses,
    orders,
    directory,
    clock,
    log,
    newId: randomUUID,
    messagesQueued: () => outbox.wake(),
    settings: {
      maxSeatsPerOrder: config.orders.maxSeatsPerOrder,
      expiryMs: config.orders.expiryDays * DAY_MS,
      notificationGiveUpMs: config.outbox.giveUpMs,
    },
  });
  const deliveryHandlers: Record<string, import('./services/outbox').MessageHandler> = {};
  Object.assign(
    deliveryHandlers,
    new OrderMessageDelivery({
      order: (orderId) => orders.get(orderId),
      cards,
      messenger,
      conversations,
      clock,
      personName: (id) => directory.user(id)?.name,
    }).handlers(),
    new RequestMessageDelivery({
      request: (id) => requests.get(id),
      order: (id) => orders.get(id),
      messenger,
      clock,
    }).handlers(),
    config.activityFeed
      ? activityFeedHandlers({
          order: (orderId) => orders.get(orderId),
          feed: new GraphActivityFeed(
            config.activityFeed.graphUrl,
            msalTokens(config.activityFeed, overrides.msalAuthorityMetadata),
            clock,
          ),
          teamsAppId: config.bot.appId,
          recipientLocale: async (id) =>
            (await conversations.reference(personalChatKey(id)))?.locale ??
            (await conversations.reference(memberKey(id)))?.locale,
        })
      : {},
    {
      [ORDER_MESSAGES.cardsRefresh]: cardsRefreshHandler(outboxStore, clock, config.outbox.giveUpMs),
      [ORDER_MESSAGES.approvalRouting]: approvalRoutingHandler(outboxStore, clock, {
        giveUpMs: config.outbox.giveUpMs,
        approvalsChannelId: config.approvalsChannelId,
      }),
    },
  );
  // Each delivery reads access as it is now (who may approve, names).
  for (const [kind, handler] of Object.entries(deliveryHandlers)) {
    handlers[kind] = async (message, context) => {
      await directory.refresh();
      return handler(message, context);
    };
  }
  const visibility = new OrderVisibility(orders, directory);
  const actions = new CardActions({ orders, cards, visibility }, log);
  const changeSeatsDialog = new ChangeSeatsDialog({
    licenses,
    orders,
    cards,
    requests,
    maxSeatsPerOrder: config.orders.maxSeatsPerOrder,
  });
  const bot = new LicenseDeskBot({
    dialogState: new PrivateConversationState(new SqlBotStorage(database)),
    changeSeats: changeSeatsDialog,
    actions,
    lists: new ListCards(licenses, orders, cards, requests),
    access: new AccessCards(access),
    requests: new RequestCards(requests, cards),
    away: new AwayReplies(orders.delegations),
    maxSeatsPerOrder: config.orders.maxSeatsPerOrder,
    conversations,
    log,
  });
  const http = createServer({
    adapter,
    bot,
    log,
    tab: createTabHandler({ config, licenses, orders, directory, access, clock, log }),
    gate: (authorization, body) =>
      inboundVerdict(authorization, body, {
        requireChannelToken: !config.localDevelopment,
        channelIssuer: BOT_FRAMEWORK_CHANNEL_ISSUER,
        allowedTenantIds: config.allowedTenantIds,
      }),
    maxBodyBytes: config.maxBodyBytes,
    loopbackHostsOnly: config.localDevelopment,
    ready: async () => {
      await database.query('SELECT 1');
      return true;
    },
  });
  const maintenance = new OrderMaintenance(
    {
      expireOverdue: async (limit?: number) => {
        await directory.refresh();
        return (await orders.expireOverdue(limit)) + (await requests.expireOverdue(limit));
      },
      advanceApprovalLadder: async (limit?: number) => {
        await directory.refresh();
        return orders.advanceApprovalLadder(limit);
      },
      resumeSubmissions: async (limit?: number) => {
        await directory.refresh();
        return orders.resumeSubmissions(limit);
      },
    },
    log,
    overrides.maintenanceIntervalMs ?? config.orders.workerIntervalMs,
  );

  return {
    config,
    http,
    adapter,
    database,
    provider,
    sandbox,
    orders,
    orderRepository,
    outbox,
    outboxStore,
    licenses,
    directory,
    access,
    requests,
    conversations,
    actions,
    bot,
    changeSeatsDialog,
    work,
    maintenance,
    async start() {
      const port = await http.listen(config.port, config.host);
      void maintenance.tick();
      maintenance.start();
      outbox.start();
      return port;
    },
    async close() {
      await http.close();
      await maintenance.stop();
      await work.idle();
      await outbox.stop(SHUTDOWN_DELIVERY_GRACE_MS);
      await database.close();
    },
  };
}

/** App-only Microsoft Graph tokens for one app registration in one tenant (MSAL caches and renews them). */
function msalTokens(
  app: { clientId: string; clientSecret: string; tenantId: string; authorityHost: string },
  authorityMetadata: string | undefined,
): MsalTokenSource {
  const authority = `${app.authorityHost}/${app.tenantId}`;
  return new MsalTokenSource(
    new ConfidentialClientApplication({
      auth: {
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        authority,
        ...(authorityMetadata ? { authorityMetadata } : {}),
      },
    }),
    authority,
    GRAPH_SCOPE,
  );
}

/** What the log needs of a turn, read at once: undefined when the turn is over (its context is revoked then). */
function turnOf(
  context: TurnContext,
): { conversationId?: string; activityId?: string; type?: string; proactive: boolean } | undefined {
  try {
    const { conversation, id: activityId, type } = context.activity;
    return { conversationId: conversation?.id, activityId, type, proactive: isProactive(context.activity) };
  } catch {
    return undefined;
  }
}
