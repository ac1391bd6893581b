// Teams activities as the Bot Connector posts them, and the demo people of the embedded defaults, for the
// load process of `npm run bench` (the same shapes as test/support/teamsActivities.ts).
const { randomUUID } = require('node:crypto');

const TENANT_ID = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const BOT = { id: '28:license-desk-bot', name: 'License Desk' };

/** Entra object ids of bot/infrastructure/directory/demoAccess.json. */
const AAD = {
  alex: '00000000-0000-0000-0000-0000000000020',
  megan: '00000000-0000-0000-0000-0000000000021',
  isaiah: '00000000-0000-0000-0000-0000000000023',
};

/** A Teams user: `teamsId` is the Teams (MRI) id, `aadObjectId` decides permissions. */
function person(teamsId, aadObjectId, name) {
  return { teamsId, aadObjectId, name };
}

const MEGAN = person('29:demo-user-1', AAD.megan, 'Megan Bowen');
const ISAIAH = person('29:demo-user-3', AAD.isaiah, 'Isaiah Langer');

function personalChat(user) {
  return `a:personal-${user.teamsId}`;
}

function base(user, conversationId, serviceUrl) {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    locale: 'en-US',
    from: { id: user.teamsId, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: BOT.id, name: BOT.name },
    conversation: {
      id: conversationId,
      conversationType: 'personal',
      tenantId: TENANT_ID,
      isGroup: false,
      name: '',
    },
    channelData: { tenant: { id: TENANT_ID } },
  };
}

/** A message in a personal chat. */
function message(user, conversationId, serviceUrl, text) {
  return {
    ...base(user, conversationId, serviceUrl),
    type: 'message',
    text,
    textFormat: 'plain',
    entities: [],
  };
}

/** An Action.Execute tap (`adaptiveCard/action` invoke). */
function cardAction(user, conversationId, serviceUrl, verb, data, replyToId) {
  return {
    ...base(user, conversationId, serviceUrl),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** The Adaptive Card of an activity (a message the bot sent), if any. */
function adaptiveCardOf(activity) {
  const attachments = (activity && activity.attachments) || [];
  const found = attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return found && found.content;
}

/** All text blocks and facts of a card, joined. */
function cardText(card) {
  const parts = [];
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (node.type === 'TextBlock' && typeof node.text === 'string') parts.push(node.text);
    if (node.type === 'FactSet' && Array.isArray(node.facts)) {
      for (const f of node.facts) parts.push(`${f.title}: ${f.value}`);
    }
    Object.values(node).forEach(walk);
  };
  walk(card);
  return parts.join('\n');
}

/** The orderId of the card's Approve button (Action.Execute, verb order.approve), outside `refresh`. */
function approveOrderId(card) {
  let found;
  const walk = (node) => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node.type === 'Action.Execute' && node.verb === 'order.approve' && node.data) {
      found = node.data.orderId;
      return;
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'refresh' && key !== 'fallback') walk(value);
  };
  walk(card);
  return found;
}

module.exports = {
  AAD,
  MEGAN,
  ISAIAH,
  person,
  personalChat,
  message,
  cardAction,
  adaptiveCardOf,
  cardText,
  approveOrderId,
};
