// A fake Bot Connector for the load process of `npm run bench`: the bots under test send their replies, card
// updates and proactive messages here (the activity's serviceUrl), as they would to Teams. It keeps only what
// the virtual users need: the last message of each conversation, and counters.
const { Buffer } = require('node:buffer');
const http = require('node:http');
const { URL } = require('node:url');

class BenchConnector {
  constructor() {
    this.nextId = 1;
    /** conversationId -> { count, last } (messages only; typing indicators are counted apart). */
    this.conversations = new Map();
    this.counts = { reply: 0, send: 0, update: 0, createConversation: 0, typing: 0, other: 0 };
    /** Texts matching a watched pattern, e.g. "Order LD-1001 is complete". */
    this.watched = [];
    this.watchPattern = undefined;
    this.server = undefined;
  }

  get serviceUrl() {
    return `http://127.0.0.1:${this.server.address().port}/`;
  }

  async start() {
    this.server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        const reply = this.handle(req, Buffer.concat(chunks).toString('utf8'));
        const body = JSON.stringify(reply.body);
        res.writeHead(reply.status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  stop() {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** How many messages this conversation has received so far. */
  messageCount(conversationId) {
    return this.conversations.get(conversationId)?.count ?? 0;
  }

  /** The last message (parsed activity) the bot sent into this conversation. */
  lastMessage(conversationId) {
    return this.conversations.get(conversationId)?.last;
  }

  record(kind, conversationId, body) {
    if (kind === 'update') {
      this.counts.update += 1;
      return;
    }
    if (body.type === 'typing') {
      this.counts.typing += 1;
      return;
    }
    this.counts[kind] += 1;
    const entry = this.conversations.get(conversationId) ?? { count: 0, last: undefined };
    entry.count += 1;
    entry.last = body;
    this.conversations.set(conversationId, entry);
    if (this.watchPattern && typeof body.text === 'string' && this.watchPattern.test(body.text)) {
      this.watched.push(body.text);
    }
  }

  handle(req, raw) {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let body = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return { status: 400, body: { error: { code: 'BadRequest' } } };
    }
    let m = /^\/v3\/conversations\/(.+)\/activities\/([^/]+)$/.exec(path);
    if (m && req.method === 'PUT') {
      this.record('update', m[1], body);
      return { status: 200, body: { id: m[2] } };
    }
    if (m && req.method === 'POST') {
      const id = `activity-${this.nextId++}`;
      this.record('reply', m[1], { ...body, id });
      return { status: 200, body: { id } };
    }
    m = /^\/v3\/conversations\/(.+)\/activities$/.exec(path);
    if (m && req.method === 'POST') {
      const id = `activity-${this.nextId++}`;
      this.record('send', m[1], { ...body, id });
      return { status: 200, body: { id } };
    }
    if (/^\/v3\/conversations\/(.+)\/pagedmembers$/.test(path) && req.method === 'GET') {
      return { status: 200, body: { members: [] } };
    }
    if (path === '/v3/conversations' && req.method === 'POST') {
      this.counts.createConversation += 1;
      const members = Array.isArray(body.members) ? body.members : [];
      return { status: 201, body: { id: `a:personal-${members.map((x) => x.id).join(',')}` } };
    }
    this.counts.other += 1;
    return { status: 404, body: { error: { code: 'NotFound', message: `${req.method} ${path}` } } };
  }
}

module.exports = { BenchConnector };
