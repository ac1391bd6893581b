// The load process of `npm run bench` (forked by run.js): virtual Teams users POSTing to a bot's
// /api/messages, and the fake Bot Connector that receives the bot's replies. It takes one task at a time over
// IPC and answers with measurements; every request has a timeout, every task a deadline.
const { Buffer } = require('node:buffer');
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { clearTimeout } = require('node:timers');
const { setTimeout: sleep } = require('node:timers/promises');
const { BenchConnector } = require('./connector');
const teams = require('./teams');

const REQUEST_TIMEOUT_MS = 15_000;

const connector = new BenchConnector();
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 10_000 });

/** Epoch milliseconds with sub-millisecond resolution, comparable across processes of this machine. */
const epochMs = () => performance.timeOrigin + performance.now();

/** POSTs an activity as the Bot Connector would; resolves with the status, the parsed body and the time. */
function post(url, activity, timeoutMs = REQUEST_TIMEOUT_MS) {
  const payload = JSON.stringify(activity);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = text;
          }
          resolve({ status: res.statusCode, body, started, ended: performance.now() });
        });
        res.on('error', (error) => resolve({ status: 0, error: error.code || error.message, started }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, error: error.code || error.message, started }));
    req.end(payload);
  });
}

/** Latency samples and completions per turn type, counted only inside the measurement window. */
class Recorder {
  constructor() {
    this.windowStart = Infinity;
    this.windowEnd = Infinity;
    this.samples = {};
    this.completed = {};
    this.errors = {};
    this.errorExamples = [];
    /** Latencies per step of a purchase (buy licenses, pick, quantity), inside the window. */
    this.steps = {};
  }

  record(type, response, ok, why, step) {
    const ended = response.ended ?? performance.now();
    const inWindow = ended >= this.windowStart && ended <= this.windowEnd;
    if (ok && step && inWindow && response.started >= this.windowStart) {
      (this.steps[step] ??= []).push(ended - response.started);
    }
    if (!ok) {
      if (inWindow) this.errors[type] = (this.errors[type] ?? 0) + 1;
      if (this.errorExamples.length < 5)
        this.errorExamples.push(`${type}: ${why ?? response.error ?? response.status}`);
      return;
    }
    if (!inWindow) return;
    this.completed[type] = (this.completed[type] ?? 0) + 1;
    if (response.started >= this.windowStart) (this.samples[type] ??= []).push(ended - response.started);
  }
}

/**
 * Closed-loop load: `concurrency` virtual users, each in its own conversation, each sending its next turn as
 * soon as the previous one was answered. Warm-up turns are not counted.
 */
async function closedLoop({ url, scenario, concurrency, warmupMs, durationMs, prefix }) {
  const recorder = new Recorder();
  const outcomes = {};
  const outcomeExamples = [];
  const t0 = performance.now();
  const stopAt = t0 + warmupMs + durationMs;
  const cpuAtStart = { value: undefined };
  const countsAt = {};
  const windowTimer = setTimeout(() => {
    recorder.windowStart = performance.now();
    cpuAtStart.value = process.cpuUsage();
    countsAt.start = { ...connector.counts };
    process.send({ type: 'window', phase: 'start' });
  }, warmupMs);
  let cpu;
  const endTimer = setTimeout(() => {
    recorder.windowEnd = performance.now();
    cpu = process.cpuUsage(cpuAtStart.value);
    countsAt.end = { ...connector.counts };
    process.send({ type: 'window', phase: 'end' });
  }, warmupMs + durationMs);
  const running = () => performance.now() < stopAt;
  const tally = (outcome, text) => {
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    if (outcome === 'other' && outcomeExamples.length < 3) outcomeExamples.push(text.slice(0, 300));
  };

  const users = Array.from({ length: concurrency }, (_, i) => {
    const user = teams.person(`29:${prefix}-user-${i}`, teams.AAD.alex, 'Alex Wilber');
    const conversationId = `a:${prefix}-chat-${i}`;
    const serviceUrl = connector.serviceUrl;

    /** One message turn; ok when answered 200 and at least one message reached the connector. */
    const say = async (text, step) => {
      const before = connector.messageCount(conversationId);
      const response = await post(url, teams.message(user, conversationId, serviceUrl, text));
      const ok = response.status === 200 && connector.messageCount(conversationId) > before;
      const why = ok ? undefined : `"${text}" -> ${response.status} ${response.error ?? 'no reply'}`;
      recorder.record('message', response, ok, why, step);
      return ok ? connector.lastMessage(conversationId) : undefined;
    };

    /** One Approve tap; answers the card (or message) of the invoke response. */
    const approve = async (orderId, replyToId) => {
      const activity = teams.cardAction(
        user,
        conversationId,
        serviceUrl,
        'order.approve',
        { orderId },
        replyToId,
      );
      const response = await post(url, activity);
      const ok = response.status === 200 && response.body && response.body.statusCode === 200;
      recorder.record('invoke', response, ok);
      return ok ? response.body : undefined;
    };

    if (scenario === 'echo') {
      return async () => {
        while (running()) await say('hello');
      };
    }
    // A whole purchase (scenario 'purchase'): buy licenses -> Business Standard -> 5 -> Approve (and Approve the fresh card when the
    // quantity changed in between, at most twice, as a user would).
    return async () => {
      while (running()) {
        const picker = await say('buy licenses', 'buy licenses');
        if (!picker || !running()) continue;
        const question = await say('Business Standard', 'pick subscription');
        if (!question || !running()) continue;
        const confirmation = await say('5', 'quantity -> confirmation card');
        // Message turns only: the confirmation card is left as it is, and the next purchase starts.
        if (scenario === 'purchaseMessages') continue;
        const card = teams.adaptiveCardOf(confirmation);
        let orderId = teams.approveOrderId(card);
        if (!orderId) {
          tally('no confirmation card', '');
          continue;
        }
        for (let attempt = 0; attempt < 3 && orderId && running(); attempt += 1) {
          const answer = await approve(orderId, confirmation.id);
          if (!answer) break;
          const text =
            answer.type === 'application/vnd.microsoft.card.adaptive'
              ? teams.cardText(answer.value)
              : String(answer.value);
          if (text.includes('Approved. Placing the order') && !text.includes('already')) {
            tally('placed', text);
            break;
          }
          if (text.includes('changed since this card was made')) {
            tally('requoted', text);
            orderId = teams.approveOrderId(answer.value);
            continue;
          }
          tally('other', text);
          break;
        }
      }
    };
  });

  const deadline = sleep(warmupMs + durationMs + REQUEST_TIMEOUT_MS + 5_000, 'deadline');
  const finished = await Promise.race([Promise.all(users.map((u) => u())).then(() => 'done'), deadline]);
  clearTimeout(windowTimer);
  clearTimeout(endTimer);
  const windowMs = recorder.windowEnd - recorder.windowStart;
  return {
    scenario,
    concurrency,
    windowMs,
    samples: recorder.samples,
    steps: recorder.steps,
    completed: recorder.completed,
    errors: recorder.errors,
    errorExamples: recorder.errorExamples,
    outcomes,
    outcomeExamples,
    drained: finished === 'done',
    loadCpuMs: cpu ? (cpu.user + cpu.system) / 1000 : undefined,
    // What the bot sent the connector during the window (replies, proactive sends, card updates, typing).
    connectorCalls:
      countsAt.start && countsAt.end
        ? Object.fromEntries(Object.keys(countsAt.end).map((k) => [k, countsAt.end[k] - countsAt.start[k]]))
        : undefined,
  };
}

/**
 * Open-loop load: turns are sent at a fixed rate (`rate` a second), whatever the bot's answers, over a pool of
 * conversations; each conversation has at most one turn in flight (as a person does), so a turn due when every
 * conversation is still waiting is counted as `notSent`. Latency runs from the moment the turn was due, so a
 * bot that falls behind shows it (no coordinated omission). Purchases go buy licenses -> Business Standard -> 5
 * -> Approve, as in the closed loop; the echo and stateful floors get "hello".
 */
async function openLoop({ url, scenario, rate, warmupMs, durationMs, prefix, pool }) {
  const serviceUrl = connector.serviceUrl;
  const people = Array.from({ length: pool }, (_, i) => ({
    user: teams.person(`29:${prefix}-user-${i}`, teams.AAD.alex, 'Alex Wilber'),
    conversationId: `a:${prefix}-chat-${i}`,
    busy: false,
    step: 0,
    orderId: undefined,
    replyToId: undefined,
  }));
  const samples = { message: [], invoke: [] };
  const errors = { message: 0, invoke: 0 };
  const errorExamples = [];
  let notSent = 0;
  let next = 0;
  const t0 = performance.now() + 50;
  const windowStart = t0 + warmupMs;
  const windowEnd = windowStart + durationMs;
  const inFlight = new Set();

  const turn = async (person, due) => {
    person.busy = true;
    const purchase = scenario === 'purchase';
    const text = !purchase ? 'hello' : ['buy licenses', 'Business Standard', '5'][person.step];
    const before = connector.messageCount(person.conversationId);
    const response =
      purchase && person.step === 3
        ? await post(
            url,
            teams.cardAction(
              person.user,
              person.conversationId,
              serviceUrl,
              'order.approve',
              {
                orderId: person.orderId,
              },
              person.replyToId,
            ),
          )
        : await post(url, teams.message(person.user, person.conversationId, serviceUrl, text));
    const type = purchase && person.step === 3 ? 'invoke' : 'message';
    const ok =
      response.status === 200 &&
      (type === 'invoke'
        ? response.body && response.body.statusCode === 200
        : connector.messageCount(person.conversationId) > before);
    if (due >= windowStart && due <= windowEnd) {
      if (ok) samples[type].push(performance.now() - due);
      else {
        errors[type] += 1;
        if (errorExamples.length < 5)
          errorExamples.push(`${type} "${text}": ${response.status} ${response.error ?? ''}`);
      }
    }
    if (purchase) {
      if (!ok) person.step = 0;
      else if (person.step === 2) {
        const reply = connector.lastMessage(person.conversationId);
        person.orderId = teams.approveOrderId(teams.adaptiveCardOf(reply));
        person.replyToId = reply && reply.id;
        person.step = person.orderId ? 3 : 0;
      } else person.step = (person.step + 1) % 4;
    }
    person.busy = false;
  };

  const cpuAt = {};
  const total = warmupMs + durationMs;
  for (let k = 0; ; k += 1) {
    const due = t0 + (k * 1000) / rate;
    if (due > t0 + total) break;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    if (!cpuAt.start && due >= windowStart) {
      cpuAt.start = process.cpuUsage();
      process.send({ type: 'window', phase: 'start' });
    }
    let person;
    for (let tries = 0; tries < pool; tries += 1) {
      const candidate = people[next];
      next = (next + 1) % pool;
      if (!candidate.busy) {
        person = candidate;
        break;
      }
    }
    if (!person) {
      if (due >= windowStart) notSent += 1;
      continue;
    }
    const running = turn(person, due);
    inFlight.add(running);
    running.finally(() => inFlight.delete(running));
  }
  process.send({ type: 'window', phase: 'end' });
  const cpu = process.cpuUsage(cpuAt.start);
  await Promise.race([Promise.all([...inFlight]), sleep(REQUEST_TIMEOUT_MS + 1_000)]);
  return {
    scenario,
    rate,
    pool,
    windowMs: durationMs,
    samples,
    errors,
    errorExamples,
    notSent,
    loadCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

/**
 * Start-up: from the moment the bot was spawned (`spawnedAt`, epoch ms), POST a message until one is answered
 * and its reply has reached the connector.
 */
async function probe({ url, spawnedAt, deadlineMs }) {
  const user = teams.person('29:bench-probe', teams.AAD.alex, 'Alex Wilber');
  const conversationId = `a:bench-probe-${Math.round(spawnedAt)}`;
  let attempts = 0;
  while (epochMs() - spawnedAt < deadlineMs) {
    attempts += 1;
    const before = connector.messageCount(conversationId);
    const response = await post(
      url,
      teams.message(user, conversationId, connector.serviceUrl, 'help'),
      10_000,
    );
    if (response.status === 200 && connector.messageCount(conversationId) > before) {
      return { answeredAt: epochMs(), attempts, turnMs: response.ended - response.started };
    }
    await sleep(response.status === 0 ? 10 : 50);
  }
  throw new Error(`no turn answered within ${deadlineMs} ms (${attempts} attempts)`);
}

/** A few turns in sequence (`[kind, text]`: kind 'say' for a message, 'approve' for the last card's Approve). */
async function script({ url, steps, who }) {
  const people = {
    alex: teams.person('29:demo-user-0', teams.AAD.alex, 'Alex Wilber'),
    megan: teams.MEGAN,
    isaiah: teams.ISAIAH,
  };
  const user = people[who];
  const conversationId = teams.personalChat(user);
  const turns = [];
  for (const [kind, text] of steps) {
    const before = connector.messageCount(conversationId);
    let response;
    if (kind === 'say') {
      response = await post(url, teams.message(user, conversationId, connector.serviceUrl, text));
    } else {
      ({ response } = await approveLastCard(url, user, conversationId));
      if (!response) {
        turns.push({ kind, text, status: 0, ok: false, ms: 0 });
        continue;
      }
    }
    const answered =
      kind === 'approve'
        ? response.body && response.body.statusCode === 200
        : connector.messageCount(conversationId) > before;
    turns.push({
      kind,
      text,
      status: response.status,
      ok: response.status === 200 && Boolean(answered),
      ms: response.ended - response.started,
    });
  }
  return { turns };
}

/** Taps Approve on the last card the bot sent into a conversation (nothing is sent without one). */
async function approveLastCard(url, user, conversationId) {
  const confirmation = connector.lastMessage(conversationId);
  const orderId = teams.approveOrderId(teams.adaptiveCardOf(confirmation));
  if (!orderId) return { confirmation, orderId };
  const response = await post(
    url,
    teams.cardAction(
      user,
      conversationId,
      connector.serviceUrl,
      'order.approve',
      { orderId },
      confirmation.id,
    ),
  );
  return { confirmation, orderId, response };
}

/**
 * Orders that need approval: Alex asks for `seats` seats of each named subscription and confirms (the order
 * then waits for Megan Bowen or Isaiah Langer), one conversation per order, `parallel` at a time.
 */
async function createPending({ url, names, seats, parallel, tag }) {
  for (const approver of [teams.MEGAN, teams.ISAIAH]) {
    await post(url, teams.message(approver, teams.personalChat(approver), connector.serviceUrl, 'help'));
  }
  const orders = new Array(names.length);
  const problems = [];
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const k = next++;
      const user = teams.person('29:demo-user-0', teams.AAD.alex, 'Alex Wilber');
      const conversationId = `a:bench-${tag}-order-${k}`;
      const say = (text) => post(url, teams.message(user, conversationId, connector.serviceUrl, text));
      await say('buy licenses');
      await say(names[k]);
      await say(String(seats));
      const { confirmation, orderId, response } = await approveLastCard(url, user, conversationId);
      if (!orderId) {
        problems.push(
          `${names[k]}: no confirmation card (${String(confirmation && confirmation.text).slice(0, 200)})`,
        );
        continue;
      }
      const text = response.body && response.body.value ? teams.cardText(response.body.value) : '';
      if (!text.includes('Waiting for approval'))
        problems.push(`${names[k]}: not waiting (${text.slice(0, 200)})`);
      orders[k] = orderId;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { orderIds: orders.filter(Boolean), problems };
}

/**
 * The approval storm: `invokes` Approve taps at once, spread evenly over the orders, from Megan Bowen and
 * Isaiah Langer in turn. Then waits until every order's outcome reached the requester (background work done).
 */
async function storm({ url, orderIds, invokes, settleMs }) {
  connector.watchPattern = /^Order LD-\d+ (is complete|for .* was not placed)/;
  connector.watched = [];
  const approvers = [teams.MEGAN, teams.ISAIAH];
  const perOrder = new Map(orderIds.map((id) => [id, { winners: 0, decided: 0, other: 0, examples: [] }]));
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const taps = Array.from({ length: invokes }, async (_, i) => {
    const orderId = orderIds[i % orderIds.length];
    const approver = approvers[Math.floor(i / orderIds.length) % 2];
    const activity = teams.cardAction(
      approver,
      teams.personalChat(approver),
      connector.serviceUrl,
      'order.approve',
      { orderId },
      `storm-card-${i}`,
    );
    const response = await post(url, activity);
    const tally = perOrder.get(orderId);
    const text =
      response.body && response.body.value
        ? typeof response.body.value === 'string'
          ? response.body.value
          : teams.cardText(response.body.value)
        : '';
    if (response.status === 200 && text.includes('Approved. Placing the order') && !text.includes('already'))
      tally.winners += 1;
    else if (response.status === 200 && /already approved by (Megan Bowen|Isaiah Langer)/.test(text))
      tally.decided += 1;
    else {
      tally.other += 1;
      if (tally.examples.length < 2)
        tally.examples.push(`${response.status} ${response.error ?? ''} ${text.slice(0, 200)}`);
    }
    return response.status === 200 ? response.ended - response.started : undefined;
  });
  const latencies = await Promise.all(taps);
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const settleStart = performance.now();
  while (connector.watched.length < orderIds.length && performance.now() - settleStart < settleMs)
    await sleep(20);
  return {
    invokes,
    elapsedMs,
    settledMs: performance.now() - started,
    latencies: latencies.filter((x) => x !== undefined),
    failed: latencies.filter((x) => x === undefined).length,
    perOrder: [...perOrder.entries()].map(([orderId, t]) => ({ orderId, ...t })),
    outcomesToldToRequester: connector.watched.length,
    completedTold: connector.watched.filter((t) => t.includes('is complete')).length,
    loadCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

/**
 * Bursts: `count` messages at once, each from its own conversation, `rounds` times; the first round warms up
 * and is not counted. The echo bot's answer to the approval storm's shape.
 */
async function burst({ url, count, rounds, prefix }) {
  const latencies = [];
  for (let round = 0; round < rounds; round += 1) {
    const answered = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const user = teams.person(`29:${prefix}-user-${i}`, teams.AAD.alex, 'Alex Wilber');
        const response = await post(
          url,
          teams.message(user, `a:${prefix}-chat-${i}`, connector.serviceUrl, 'hello'),
        );
        return response.status === 200 ? response.ended - response.started : undefined;
      }),
    );
    if (round > 0) latencies.push(...answered);
    await sleep(200);
  }
  return {
    latencies: latencies.filter((x) => x !== undefined),
    failed: latencies.filter((x) => x === undefined).length,
  };
}

const TASKS = { closedLoop, openLoop, probe, script, createPending, storm, burst };

process.on('message', async (msg) => {
  if (msg.type === 'stop') {
    await connector.stop();
    agent.destroy();
    process.exit(0);
  }
  if (msg.type !== 'task') return;
  try {
    const result = await TASKS[msg.name](msg.params);
    process.send({ type: 'result', id: msg.id, result });
  } catch (error) {
    process.send({
      type: 'error',
      id: msg.id,
      message: error instanceof Error ? error.message : String(error),
    });
  }
});

connector.start().then(() => process.send({ type: 'ready', serviceUrl: connector.serviceUrl }));
