// The stateful floor, for `npm run bench` only (A2): the echo bot's stack plus what every durable dialog turn
// costs: a botbuilder-dialogs waterfall of three TextPrompts, with ConversationState kept in License Desk's own
// SqlBotStorage on the same database as License Desk in that run (the embedded PGlite in DATA_DIR, or
// PostgreSQL at DATABASE_URL). One read and one write of the conversation's state per turn. Not part of the
// product.
//
// run.js starts it with node --liftoff-only, as `npm start` runs License Desk.
// Environment: PORT (0 = any free port), HOST (default 127.0.0.1), DATA_DIR or DATABASE_URL. Prints one JSON
// line with `msg: 'listening'` when listening; SIGTERM / SIGINT stop it.
const { join } = require('node:path');
const restify = require('restify');
const {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
} = require('botbuilder');
const { DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog } = require('botbuilder-dialogs');

const dist = join(__dirname, '..', '..', 'dist', 'bot');
const { PgliteDatabase } = require(join(dist, 'infrastructure/database/pgliteDatabase'));
const { PostgresDatabase } = require(join(dist, 'infrastructure/database/postgresDatabase'));
const { migrate } = require(join(dist, 'infrastructure/database/migrate'));
const { SqlBotStorage } = require(join(dist, 'teams/state/sqlBotStorage'));

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  const db = databaseUrl
    ? await PostgresDatabase.open(databaseUrl)
    : await PgliteDatabase.openForService(process.env.DATA_DIR || './bench-stateful-data');
  await migrate(db);

  const conversationState = new ConversationState(new SqlBotStorage(db));
  const dialogState = conversationState.createProperty('dialogState');
  const dialogs = new DialogSet(dialogState);
  dialogs.add(new TextPrompt('text'));
  dialogs.add(
    new WaterfallDialog('order', [
      (step) => step.prompt('text', 'Which subscription?'),
      (step) => step.prompt('text', `How many seats of ${step.result}?`),
      (step) => step.prompt('text', `Confirm ${step.result} seats?`),
      async (step) => {
        await step.context.sendActivity(`Done: ${step.result}`);
        return step.endDialog();
      },
    ]),
  );

  class StatefulBot extends ActivityHandler {
    constructor() {
      super();
      this.onMessage(async (context, next) => {
        const dc = await dialogs.createContext(context);
        const result = await dc.continueDialog();
        if (result.status === DialogTurnStatus.empty) await dc.beginDialog('order');
        await next();
      });
    }

    async run(context) {
      await super.run(context);
      await conversationState.saveChanges(context, false);
    }
  }

  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppType: 'MultiTenant' }),
  );
  adapter.onTurnError = async (context, error) => {
    process.stderr.write(`stateful bot: turn failed: ${error && error.message}\n`);
  };
  const bot = new StatefulBot();

  const server = restify.createServer({ name: 'stateful-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false, mapFiles: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });

  const host = process.env.HOST || '127.0.0.1';
  server.listen(Number(process.env.PORT || 0), host, () => {
    const { port } = server.address();
    process.stdout.write(
      `${JSON.stringify({ msg: 'listening', url: `http://${host}:${port}/api/messages` })}\n`,
    );
  });

  const stop = () => server.close(() => db.close().finally(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  process.stderr.write(`stateful bot failed: ${error && error.stack}\n`);
  process.exit(1);
});
