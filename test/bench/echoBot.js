// The floor of the stack, for `npm run bench` only: the smallest botbuilder bot on restify + CloudAdapter,
// set up as License Desk is in local development (no app id, so requests are not authenticated and replies
// go to the activity's serviceUrl). It echoes every message. Not part of the product.
//
// Environment: PORT (0 = any free port), HOST (default 127.0.0.1). Prints one JSON line with `url` when
// listening; SIGTERM / SIGINT stop it.
const restify = require('restify');
const { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } = require('botbuilder');

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`Echo: ${context.activity.text}`);
      await next();
    });
  }
}

const adapter = new CloudAdapter(
  new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppType: 'MultiTenant' }),
);
adapter.onTurnError = async (context, error) => {
  process.stderr.write(`echo bot: turn failed: ${error && error.message}\n`);
};
const bot = new EchoBot();

const server = restify.createServer({ name: 'echo-bot', handleUncaughtExceptions: false });
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

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
