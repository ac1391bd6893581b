import { ConfigError, configSummary, loadConfig } from '../bot/config';

const APP_ID = '11111111-2222-4333-8444-555555555555';
const TENANT = '99999999-8888-4777-8666-555555555555';

describe('typed configuration', () => {
  it('runs on the embedded defaults with no settings: local development on 127.0.0.1:3978', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3978,
      localDevelopment: true,
      storage: { dataDir: './data', databaseUrl: undefined },
      orders: { maxSeatsPerOrder: 300, expiryDays: 7 },
    });
  });

  it('approval reminders and escalation: 24 h and 48 h by default, fractions of hours accepted', () => {
    expect(loadConfig({}).orders).toMatchObject({
      approvalReminderMs: 24 * 3_600_000,
      approvalEscalateMs: 48 * 3_600_000,
    });
    expect(
      loadConfig({ APPROVAL_REMINDER_HOURS: '0.01', APPROVAL_ESCALATE_HOURS: '0.02' }).orders,
    ).toMatchObject({ approvalReminderMs: 36_000, approvalEscalateMs: 72_000 });
    for (const [env, name] of [
      [{ APPROVAL_REMINDER_HOURS: 'soon' }, 'APPROVAL_REMINDER_HOURS'],
      [{ APPROVAL_REMINDER_HOURS: '0' }, 'APPROVAL_REMINDER_HOURS'],
      [{ APPROVAL_REMINDER_HOURS: '-1' }, 'APPROVAL_REMINDER_HOURS'],
      [{ APPROVAL_REMINDER_HOURS: '50' }, 'APPROVAL_ESCALATE_HOURS'],
    ] as const) {
      expect(() => loadConfig(env)).toThrow(new RegExp(`Setting ${name}:`));
    }
  });

  it('refuses to listen beyond loopback without an app id, and says why', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(
      /Setting HOST: .*MicrosoftAppId is not set.*127\.0\.0\.1/,
    );
  });

  it('listens anywhere once the bot has an identity', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 's3cret',
      MicrosoftAppTenantId: TENANT,
    });
    expect(config.localDevelopment).toBe(false);
    expect(config.bot.appType).toBe('SingleTenant');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ MAX_SEATS_PER_ORDER: '0' }, 'MAX_SEATS_PER_ORDER'],
    [{ MAX_SEATS_PER_ORDER: '2.5' }, 'MAX_SEATS_PER_ORDER'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ MicrosoftAppId: 'not-a-guid' }, 'MicrosoftAppId'],
    [{ MicrosoftAppId: APP_ID }, 'MicrosoftAppPassword'],
    [{ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x' }, 'MicrosoftAppTenantId'],
    [{ MicrosoftAppType: 'Whatever' }, 'MicrosoftAppType'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LICENSE_PROVIDER: 'ebay' }, 'LICENSE_PROVIDER'],
  ])('stops on %j naming %s', (env, setting) => {
    try {
      loadConfig(env);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).setting).toBe(setting);
      expect((error as ConfigError).message).toContain(`Setting ${setting}:`);
    }
  });

  it('summarises the configuration for the start-up log without any secret', () => {
    const config = loadConfig({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'super-secret-value',
      MicrosoftAppTenantId: TENANT,
      DATABASE_URL: 'postgres://bot:db-password-123@db.internal:5432/licenses',
    });
    const summary = JSON.stringify(configSummary(config));
    expect(summary).not.toContain('super-secret-value');
    expect(summary).not.toContain('db-password-123');
    expect(summary).toContain('db.internal');
    expect(summary).toContain(APP_ID);
  });

  describe('ACTIVITY_FEED: the Teams activity feed, as the bot’s own app registration', () => {
    const bot = {
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'super-secret-value',
      MicrosoftAppTenantId: TENANT,
    };

    it('is off by default, and when set off: chat only', () => {
      expect(loadConfig({}).activityFeed).toBeUndefined();
      expect(loadConfig(bot).activityFeed).toBeUndefined();
      expect(loadConfig({ ...bot, ACTIVITY_FEED: 'off' }).activityFeed).toBeUndefined();
      expect(configSummary(loadConfig(bot)).activityFeed).toBe('off (chat only)');
    });

    it("on: the bot's app id, secret and tenant, Microsoft's Graph and sign-in hosts unless GRAPH_URL and AUTHORITY_HOST say otherwise", () => {
      expect(loadConfig({ ...bot, ACTIVITY_FEED: 'on' }).activityFeed).toEqual({
        clientId: APP_ID,
        clientSecret: 'super-secret-value',
        tenantId: TENANT,
        graphUrl: 'https://graph.microsoft.com',
        authorityHost: 'https://login.microsoftonline.com',
      });
      const config = loadConfig({
        ...bot,
        ACTIVITY_FEED: 'ON',
        GRAPH_URL: 'http://127.0.0.1:9000/',
        AUTHORITY_HOST: 'https://login.example.test',
      });
      expect(config.activityFeed).toMatchObject({
        graphUrl: 'http://127.0.0.1:9000',
        authorityHost: 'https://login.example.test',
      });
      const summary = JSON.stringify(configSummary(config));
      expect(summary).toContain('"activityFeed":{"graph":"http://127.0.0.1:9000"');
      expect(summary).not.toContain('super-secret-value');
    });

    it.each([
      [{ ACTIVITY_FEED: 'yes' }, /ACTIVITY_FEED: must be one of off, on/],
      [{ ACTIVITY_FEED: 'on' }, /ACTIVITY_FEED: is on, but MicrosoftAppId is not set/],
      [
        {
          MicrosoftAppId: APP_ID,
          MicrosoftAppType: 'UserAssignedMSI',
          MicrosoftAppTenantId: TENANT,
          ACTIVITY_FEED: 'on',
        },
        /ACTIVITY_FEED: is on, but MicrosoftAppPassword is not set/,
      ],
      [
        {
          MicrosoftAppId: APP_ID,
          MicrosoftAppPassword: 'x',
          MicrosoftAppType: 'MultiTenant',
          ALLOWED_TENANT_IDS: TENANT,
          ACTIVITY_FEED: 'on',
        },
        /ACTIVITY_FEED: is on, but MicrosoftAppTenantId is not set/,
      ],
      [
        { ...bot, ACTIVITY_FEED: 'on', GRAPH_URL: 'graph.microsoft.com' },
        /GRAPH_URL: must be an http\(s\) URL/,
      ],
    ])('refuses %j', (env, message) => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    });
  });
});
