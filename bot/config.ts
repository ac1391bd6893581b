import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

export type Environment = Readonly<Record<string, string | undefined>>;

export type MicrosoftAppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

/** Every setting of the product, validated. `.env.example` documents each one. */
export interface Config {
  readonly host: string;
  readonly port: number;
  /** No MicrosoftAppId: requests are not authenticated; only allowed on a loopback address. */
  readonly localDevelopment: boolean;
  readonly bot: {
    readonly appId: string;
    readonly appPassword: string;
    readonly appType: MicrosoftAppType;
    readonly appTenantId: string;
  };
  readonly storage: {
    readonly dataDir: string;
    readonly databaseUrl: string | undefined;
    readonly poolSize: number;
  };
  /** Imported once, on the first start; then the database holds access (README: Access). */
  readonly accessFile: string;
  /** Set explicitly (not the shipped demo file): start-up says it is no longer read once access is imported. */
  readonly accessFileSet: boolean;
  /** Entra object ids made Access Admin of every billing profile that has none (the first start). */
  readonly accessAdminIds: readonly string[];
  /** Microsoft Graph for finding people (app-only, User.Read.All); undefined: the people License Desk knows. */
  readonly directory: DirectorySettings | undefined;
  /** The Teams activity feed through Microsoft Graph (ACTIVITY_FEED=on); undefined: chat only. */
  readonly activityFeed: ActivityFeedSettings | undefined;
  readonly provider: SandboxSettings | PartnerCenterSettings;
  readonly orders: {
    readonly maxSeatsPerOrder: number;
    readonly expiryDays: number;
    /** How long an instance holds a submission before another may take it over. */
    readonly submissionLeaseMs: number;
    /** How often each instance expires overdue orders and resumes unfinished submissions. */
    readonly workerIntervalMs: number;
    /** Attempts before a submission fails (every error counts). */
    readonly maxSubmissionAttempts: number;
    /** Bound of the first wait before a submission is tried again; it doubles per attempt, with jitter. */
    readonly submissionRetryMs: number;
    /** A waiting order reminds its approvers after this long (fractions of hours allowed: 0.01 h = 36 s). */
    readonly approvalReminderMs: number;
    /** A waiting order is escalated to its billing profile's Access Admins after this long. */
    readonly approvalEscalateMs: number;
  };
  /** Delivery of everything the bot sends on its own (README: Reliability). */
  readonly outbox: {
    /** How often an idle instance looks for messages due (changes it makes itself wake it at once). */
    readonly pollIntervalMs: number;
    /** Longest wait between two attempts of one message (a longer Retry-After is still honoured). */
    readonly maxBackoffMs: number;
    /** After this long a message that still fails is marked undeliverable and shown in the orders list. */
    readonly giveUpMs: number;
    /** How long a claim holds a message before another instance may deliver it (renewed while in flight). */
    readonly leaseMs: number;
  };
  readonly approvalsChannelId: string | undefined;
  /**
   * Tenants whose users may use the bot and the tab. 'any' only in local development without a list;
   * in production it defaults to MicrosoftAppTenantId.
   */
  readonly allowedTenantIds: readonly string[] | 'any';
  readonly tab: {
    /** Public host name of the bot and tab (no scheme): the tab's SSO audience is api://<host>/<app id>. */
    readonly botDomain: string | undefined;
    /** Where the signing keys of Teams SSO tokens are published (Microsoft identity platform). */
    readonly ssoJwksUrl: string;
  };
  readonly maxBodyBytes: number;
  /** Order requests and card decisions per person per minute (0: no limit). */
  readonly rateLimitPerMinute: number;
  readonly logLevel: string;
  /** Names this process in submission leases (several instances may share one database). */
  readonly instanceId: string;
}

export interface DirectorySettings {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tenantId: string;
  readonly graphUrl: string;
  readonly authorityHost: string;
}

/**
 * Activity feed notifications (README: Activity feed), sent app-only as the bot's own app registration: the
 * Teams app's id is the bot's MicrosoftAppId, and Graph sends notifications only for the app that asks.
 */
export interface ActivityFeedSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tenantId: string;
  readonly graphUrl: string;
  readonly authorityHost: string;
}

export interface SandboxSettings {
  readonly kind: 'sandbox';
  readonly latencyMs: number;
}

/** Microsoft Partner Center for one customer tenant (README: "Partner Center"). */
export interface PartnerCenterSettings {
  readonly kind: 'partner-center';
  readonly clientId: string;
  readonly clientSecret: string;
  readonly partnerTenantId: string;
  readonly customerTenantId: string;
  /** The customer's domain, as the access file's billing profiles name it. */
  readonly customerDomain: string;
  /** Seat prices and Graph SKUs per subscription (Partner Center subscriptions carry neither). */
  readonly catalogFile: string;
  readonly partnerCenterUrl: string;
  readonly graphUrl: string;
  readonly authorityHost: string;
}

/** A setting is missing or wrong: start-up stops and says which one and why. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`Setting ${setting}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const APP_TYPES: readonly MicrosoftAppType[] = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Turns the environment into a validated configuration; throws ConfigError naming the first bad setting. */
export function loadConfig(env: Environment): Config {
  const appId = text(env, 'MicrosoftAppId');
  const appPassword = text(env, 'MicrosoftAppPassword');
  const appType = oneOf(env, 'MicrosoftAppType', APP_TYPES, 'SingleTenant');
  const appTenantId = text(env, 'MicrosoftAppTenantId');
  const host = text(env, 'HOST') || '127.0.0.1';
  const localDevelopment = appId === '';

  if (appId !== '' && !GUID.test(appId))
    throw new ConfigError('MicrosoftAppId', "must be the bot's Microsoft App ID (a GUID)");
  if (localDevelopment && !LOOPBACK.has(host)) {
    throw new ConfigError(
      'HOST',
      `is ${host}, but MicrosoftAppId is not set: without it requests are not authenticated, so the bot only ` +
        'listens on 127.0.0.1 (local development). Set MicrosoftAppId and MicrosoftAppPassword to listen elsewhere.',
    );
  }
  if (!localDevelopment && appType !== 'UserAssignedMSI' && appPassword === '') {
    throw new ConfigError(
      'MicrosoftAppPassword',
      "is required when MicrosoftAppId is set (the app registration's client secret)",
    );
  }
  if (!localDevelopment && appType !== 'MultiTenant' && !GUID.test(appTenantId)) {
    throw new ConfigError(
      'MicrosoftAppTenantId',
      `is required for a ${appType} bot (your Microsoft Entra tenant id)`,
    );
  }

  const databaseUrl = text(env, 'DATABASE_URL') || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// connection string');
  }
  const providerKind = oneOf(env, 'LICENSE_PROVIDER', ['sandbox', 'partner-center'] as const, 'sandbox');
  const provider: SandboxSettings | PartnerCenterSettings =
    providerKind === 'sandbox'
      ? { kind: 'sandbox', latencyMs: integer(env, 'SANDBOX_LATENCY_MS', 0, 0, 60_000) }
      : partnerCenterSettings(env);

  const tenantList = text(env, 'ALLOWED_TENANT_IDS')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  let allowedTenantIds: readonly string[] | 'any' = tenantList;
  if (tenantList.length === 0) {
    if (localDevelopment) allowedTenantIds = 'any';
    else if (GUID.test(appTenantId)) allowedTenantIds = [appTenantId];
    else
      throw new ConfigError(
        'ALLOWED_TENANT_IDS',
        'is required for a MultiTenant bot: the tenant ids whose users may use it',
      );
  }
  if (!localDevelopment && allowedTenantIds !== 'any' && !allowedTenantIds.every((t) => GUID.test(t))) {
    throw new ConfigError('ALLOWED_TENANT_IDS', 'must be a comma-separated list of tenant ids (GUIDs)');
  }
  const botDomain = text(env, 'BOT_DOMAIN') || undefined;
  if (botDomain && !/^[a-z0-9.-]+$/i.test(botDomain)) {
    throw new ConfigError(
      'BOT_DOMAIN',
      'must be a bare host name such as licenses.contoso.com (no scheme, port or path)',
    );
  }
  const accessAdminIds = text(env, 'ACCESS_ADMIN_IDS')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (!localDevelopment && !accessAdminIds.every((t) => GUID.test(t))) {
    throw new ConfigError('ACCESS_ADMIN_IDS', 'must be a comma-separated list of Entra object ids (GUIDs)');
  }
  const directory = directorySettings(env);
  const activityFeed = activityFeedSettings(env, { appId, appPassword, appType, appTenantId });
  const ssoJwksUrl =
    text(env, 'SSO_JWKS_URL') || 'https://login.microsoftonline.com/common/discovery/v2.0/keys';
  if (!/^https?:\/\//.test(ssoJwksUrl)) throw new ConfigError('SSO_JWKS_URL', 'must be an http(s) URL');

  return {
    host,
    port: integer(env, 'PORT', 3978, 0, 65535),
    localDevelopment,
    bot: { appId, appPassword, appType, appTenantId },
    storage: {
      dataDir: text(env, 'DATA_DIR') || './data',
      databaseUrl,
      poolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 100),
    },
    accessFile: text(env, 'ACCESS_FILE') || 'bot/infrastructure/directory/demoAccess.json',
    accessFileSet: text(env, 'ACCESS_FILE') !== '',
    accessAdminIds,
    directory,
    activityFeed,
    provider,
    orders: {
      maxSeatsPerOrder: integer(env, 'MAX_SEATS_PER_ORDER', 300, 1, 100_000),
      expiryDays: integer(env, 'ORDER_EXPIRY_DAYS', 7, 1, 90),
      submissionLeaseMs: integer(env, 'SUBMISSION_LEASE_SECONDS', 120, 1, 3600) * 1000,
      workerIntervalMs: integer(env, 'WORKER_INTERVAL_SECONDS', 30, 1, 3600) * 1000,
      maxSubmissionAttempts: integer(env, 'SUBMISSION_MAX_ATTEMPTS', 5, 1, 50),
      submissionRetryMs: integer(env, 'SUBMISSION_RETRY_SECONDS', 30, 1, 3600) * 1000,
      ...approvalLadder(env),
    },
    outbox: {
      pollIntervalMs: integer(env, 'OUTBOX_POLL_SECONDS', 2, 1, 300) * 1000,
      maxBackoffMs: integer(env, 'OUTBOX_MAX_BACKOFF_SECONDS', 60, 1, 3600) * 1000,
      giveUpMs: integer(env, 'OUTBOX_GIVE_UP_MINUTES', 1440, 1, 43_200) * 60 * 1000,
      leaseMs: integer(env, 'OUTBOX_LEASE_SECONDS', 60, 5, 3600) * 1000,
    },
    approvalsChannelId: text(env, 'APPROVALS_CHANNEL_ID') || undefined,
    allowedTenantIds,
    tab: { botDomain, ssoJwksUrl },
    maxBodyBytes: integer(env, 'MAX_BODY_KB', 256, 16, 4096) * 1024,
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 60, 0, 10_000),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    instanceId: text(env, 'INSTANCE_ID') || `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
  };
}

/** What start-up logs about the configuration: everything useful, no secret. */
export function configSummary(config: Config): Record<string, unknown> {
  return {
    host: config.host,
    port: config.port,
    mode: config.localDevelopment ? 'local development (no authentication, loopback only)' : 'production',
    microsoftAppId: config.bot.appId || '(not set)',
    microsoftAppPassword: config.bot.appPassword ? '(set, redacted)' : '(not set)',
    microsoftAppType: config.bot.appType,
    microsoftAppTenantId: config.bot.appTenantId || '(not set)',
    storage: config.storage.databaseUrl
      ? `postgres ${redactUrl(config.storage.databaseUrl)}`
      : `pglite ${config.storage.dataDir}`,
    accessFile: config.accessFile,
    accessAdminIds: config.accessAdminIds.length > 0 ? config.accessAdminIds : '(not set)',
    peopleDirectory: config.directory
      ? {
          graph: config.directory.graphUrl,
          clientId: config.directory.clientId,
          clientSecret: '(set, redacted)',
        }
      : '(the people License Desk knows)',
    activityFeed: config.activityFeed
      ? { graph: config.activityFeed.graphUrl, clientId: config.activityFeed.clientId }
      : 'off (chat only)',
    licenseProvider: config.provider.kind,
    ...(config.provider.kind === 'partner-center'
      ? {
          partnerCenter: {
            clientId: config.provider.clientId,
            clientSecret: '(set, redacted)',
            partnerTenantId: config.provider.partnerTenantId,
            customerTenantId: config.provider.customerTenantId,
            customerDomain: config.provider.customerDomain,
            catalogFile: config.provider.catalogFile,
          },
        }
      : {}),
    maxSeatsPerOrder: config.orders.maxSeatsPerOrder,
    orderExpiryDays: config.orders.expiryDays,
    submissionLeaseSeconds: config.orders.submissionLeaseMs / 1000,
    submissionMaxAttempts: config.orders.maxSubmissionAttempts,
    approvalReminderHours: config.orders.approvalReminderMs / HOUR_MS,
    approvalEscalateHours: config.orders.approvalEscalateMs / HOUR_MS,
    outbox: {
      pollSeconds: config.outbox.pollIntervalMs / 1000,
      maxBackoffSeconds: config.outbox.maxBackoffMs / 1000,
      giveUpMinutes: config.outbox.giveUpMs / 60_000,
    },
    approvalsChannelId: config.approvalsChannelId ?? '(not set)',
    allowedTenantIds:
      config.allowedTenantIds === 'any' ? '(any: local development)' : config.allowedTenantIds,
    botDomain: config.tab.botDomain ?? '(not set)',
    rateLimitPerMinute: config.rateLimitPerMinute,
    logLevel: config.logLevel,
    instanceId: config.instanceId,
  };
}

/** DIRECTORY_CLIENT_ID, DIRECTORY_CLIENT_SECRET and DIRECTORY_TENANT_ID: all three, or none. */
function directorySettings(env: Environment): DirectorySettings | undefined {
  const clientId = text(env, 'DIRECTORY_CLIENT_ID');
  const clientSecret = text(env, 'DIRECTORY_CLIENT_SECRET');
  const tenantId = text(env, 'DIRECTORY_TENANT_ID');
  if (clientId === '' && clientSecret === '' && tenantId === '') return undefined;
  if (!GUID.test(clientId))
    throw new ConfigError(
      'DIRECTORY_CLIENT_ID',
      'must be the GUID of an app registration with User.Read.All',
    );
  if (clientSecret === '')
    throw new ConfigError(
      'DIRECTORY_CLIENT_SECRET',
      "is required with DIRECTORY_CLIENT_ID (that app's client secret)",
    );
  if (!GUID.test(tenantId))
    throw new ConfigError('DIRECTORY_TENANT_ID', 'must be your Microsoft Entra tenant id (a GUID)');
  const url = (name: string, fallback: string) => httpUrl(env, name, fallback);
  return {
    clientId,
    clientSecret,
    tenantId,
    graphUrl: url('GRAPH_URL', 'https://graph.microsoft.com'),
    authorityHost: url('AUTHORITY_HOST', 'https://login.microsoftonline.com'),
  };
}

/**
 * ACTIVITY_FEED=on (default off): the bot's own app registration sends the notifications, so it needs
 * MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId (a client secret in a known tenant).
 */
function activityFeedSettings(env: Environment, bot: Config['bot']): ActivityFeedSettings | undefined {
  if (oneOf(env, 'ACTIVITY_FEED', ['off', 'on'] as const, 'off') === 'off') return undefined;
  if (bot.appId === '')
    throw new ConfigError(
      'ACTIVITY_FEED',
      "is on, but MicrosoftAppId is not set: the activity feed is sent as the bot's app registration",
    );
  if (bot.appType === 'UserAssignedMSI' || bot.appPassword === '')
    throw new ConfigError(
      'ACTIVITY_FEED',
      "is on, but MicrosoftAppPassword is not set: the activity feed needs the bot's client secret",
    );
  if (!GUID.test(bot.appTenantId))
    throw new ConfigError(
      'ACTIVITY_FEED',
      'is on, but MicrosoftAppTenantId is not set: the tenant whose people get the notifications',
    );
  return {
    clientId: bot.appId,
    clientSecret: bot.appPassword,
    tenantId: bot.appTenantId,
    graphUrl: httpUrl(env, 'GRAPH_URL', 'https://graph.microsoft.com'),
    authorityHost: httpUrl(env, 'AUTHORITY_HOST', 'https://login.microsoftonline.com'),
  };
}

function httpUrl(env: Environment, name: string, fallback: string): string {
  const value = text(env, name) || fallback;
  if (!/^https?:\/\//.test(value)) throw new ConfigError(name, 'must be an http(s) URL');
  return value.replace(/\/+$/, '');
}

function partnerCenterSettings(env: Environment): PartnerCenterSettings {
  const required = (name: string, what: string) => {
    const value = text(env, name);
    if (value === '')
      throw new ConfigError(name, `is required with LICENSE_PROVIDER=partner-center: ${what}`);
    return value;
  };
  const guid = (name: string, what: string) => {
    const value = required(name, what);
    if (!GUID.test(value)) throw new ConfigError(name, `must be a GUID: ${what}`);
    return value;
  };
  const url = (name: string, fallback: string) => httpUrl(env, name, fallback);
  return {
    kind: 'partner-center',
    clientId: guid('PARTNER_CENTER_CLIENT_ID', 'the app registration that calls Partner Center'),
    clientSecret: required('PARTNER_CENTER_CLIENT_SECRET', "that app registration's client secret"),
    partnerTenantId: guid('PARTNER_TENANT_ID', "the partner's (reseller's) tenant id"),
    customerTenantId: guid('CUSTOMER_TENANT_ID', "the customer's tenant id"),
    customerDomain: required('CUSTOMER_DOMAIN', "the customer's domain, as named in the access file"),
    catalogFile: required(
      'PARTNER_CENTER_CATALOG_FILE',
      'seat prices and Graph SKUs per subscription (JSON)',
    ),
    partnerCenterUrl: url('PARTNER_CENTER_URL', 'https://api.partnercenter.microsoft.com'),
    graphUrl: url('GRAPH_URL', 'https://graph.microsoft.com'),
    authorityHost: url('AUTHORITY_HOST', 'https://login.microsoftonline.com'),
  };
}

/** A connection string without its password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = 'redacted';
    return parsed.toString();
  } catch {
    return '(unparseable)';
  }
}

function text(env: Environment, name: string): string {
  return (env[name] ?? '').trim();
}

function integer(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === '') return fallback;
  if (!/^\d+$/.test(raw))
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be from ${min} to ${max}, got ${value}`);
  return value;
}

/** A positive number of hours, fractions allowed ("0.01" is 36 seconds), as milliseconds. */
function hours(env: Environment, name: string, fallback: number, max: number): number {
  const raw = text(env, name);
  if (raw === '') return fallback * HOUR_MS;
  if (!/^\d+(\.\d+)?$/.test(raw))
    throw new ConfigError(name, `must be a number of hours (fractions allowed, e.g. 0.01), got "${raw}"`);
  const value = Number(raw);
  if (value <= 0 || value > max)
    throw new ConfigError(name, `must be more than 0 and at most ${max}, got ${value}`);
  return Math.round(value * HOUR_MS);
}

const HOUR_MS = 60 * 60 * 1000;

/** APPROVAL_REMINDER_HOURS and APPROVAL_ESCALATE_HOURS: the escalation comes after the reminder. */
function approvalLadder(env: Environment): { approvalReminderMs: number; approvalEscalateMs: number } {
  const approvalReminderMs = hours(env, 'APPROVAL_REMINDER_HOURS', 24, 24 * 90);
  const approvalEscalateMs = hours(env, 'APPROVAL_ESCALATE_HOURS', 48, 24 * 90);
  if (approvalEscalateMs <= approvalReminderMs)
    throw new ConfigError(
      'APPROVAL_ESCALATE_HOURS',
      'must be more than APPROVAL_REMINDER_HOURS (the reminder comes first)',
    );
  return { approvalReminderMs, approvalEscalateMs };
}

function oneOf<T extends string>(env: Environment, name: string, allowed: readonly T[], fallback: T): T {
  const raw = text(env, name);
  if (raw === '') return fallback;
  const match = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
  if (!match) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  return match;
}
