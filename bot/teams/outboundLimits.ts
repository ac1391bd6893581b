import {
  ActivityEventNames,
  ActivityTypes,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type Middleware,
  type TurnContext,
} from 'botbuilder';
import {
  JwtTokenValidation,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { Log } from '../services/ports';

/**
 * How long the bot waits on the Bot Connector (README: Security, "Bounded outbound calls"). Teams gives a bot
 * 15 seconds to answer the HTTP request of a message or an invoke; a connector that accepts and never answers
 * must not hold a turn, a connection or its memory for longer.
 */
export interface OutboundLimits {
  /** One HTTP attempt: no response headers within this long and the attempt is abandoned (not retried). */
  readonly attemptTimeoutMs: number;
  /** One call, every retry of the SDK included (it retries refused connections and 5xx with backoff). */
  readonly callBudgetMs: number;
  /** From the start of a turn that answers an HTTP request: how long its replies may wait on the connector. */
  readonly turnBudgetMs: number;
  /** A reply started after the turn's budget (slow work before it) still gets this long. */
  readonly lateReplyMs: number;
}

export const OUTBOUND_LIMITS: OutboundLimits = {
  attemptTimeoutMs: 10_000,
  callBudgetMs: 20_000,
  turnBudgetMs: 10_000,
  lateReplyMs: 3_000,
};

/** A reply of a turn could not be delivered in time, or at all: logged once as undeliverable; the turn ends. */
export class UndeliverableReply extends Error {
  constructor(
    readonly what: string,
    readonly reason: string,
  ) {
    super(`reply undeliverable (${what}): ${reason}`);
    this.name = 'UndeliverableReply';
  }
}

type OperationArguments = Parameters<ConnectorClient['sendOperationRequest']>[0];

/**
 * The SDK's authentication, whose connector factory makes every Bot Connector client with limits: replies in a
 * turn and proactive calls (card updates, approval requests, outcomes, opening a personal chat, listing members)
 * alike. Each attempt gets a timeout; each call, retries and token included, a budget after which it fails.
 */
export class BoundedBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly limits: OutboundLimits;

  constructor(
    options: ConfigurationBotFrameworkAuthenticationOptions,
    credentialsFactory?: ServiceClientCredentialsFactory,
    limits: OutboundLimits = OUTBOUND_LIMITS,
  ) {
    super(options, credentialsFactory);
    this.limits = limits;
  }

  /**
   * One client per app id, service URL and audience, reused by every turn: the SDK would build a new one (its
   * HTTP pipeline and credentials) for each turn, a good part of a turn's CPU. Clients hold no per-turn state;
   * their credentials cache and renew tokens themselves. At most MAX_CLIENTS are kept (oldest dropped first).
   */
  private readonly clients = new Map<string, Promise<ConnectorClient>>();

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const appId = JwtTokenValidation.getAppIdFromClaims(claimsIdentity.claims) ?? '';
    const clients = this.clients;
    const make = (serviceUrl: string, audience?: string) =>
      super.createConnectorFactory(claimsIdentity).create(serviceUrl, audience);
    const limits = this.limits;
    return {
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        const key = JSON.stringify([appId, serviceUrl, audience ?? null]);
        let client = clients.get(key);
        if (!client) {
          client = make(serviceUrl, audience).then((made) => bounded(made, limits));
          client.catch(() => clients.delete(key));
          if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
          clients.set(key, client);
        }
        return client;
      },
    };
  }
}

const MAX_CLIENTS = 100;

/**
 * Every operation of a connector client (send, reply, update, delete, create a conversation, list members) goes
 * through its public sendOperationRequest: each gets the attempt timeout and an abort signal at the call budget
 * (the SDK's retry waits stop there too), and the caller hears back by the budget even if the token never comes.
 */
function bounded(client: ConnectorClient, limits: OutboundLimits): ConnectorClient {
  const send = client.sendOperationRequest.bind(client);
  client.sendOperationRequest = (operation: OperationArguments, ...rest) => {
    const options = operation.options ?? {};
    const budget = AbortSignal.timeout(limits.callBudgetMs);
    const given = options.abortSignal as AbortSignal | undefined;
    const limited = {
      ...operation,
      options: {
        ...options,
        timeout: limits.attemptTimeoutMs,
        abortSignal: given ? AbortSignal.any([given, budget]) : budget,
      },
    };
    return within(send(limited, ...rest), limits.callBudgetMs, 'a Bot Connector call');
  };
  return client;
}

/**
 * Bounds what one turn that answers an HTTP request (a message, an invoke) waits on the connector: its replies,
 * card updates and deletions share `turnBudgetMs` from the turn's start. The first one that fails or runs out
 * of time is logged as undeliverable and ends the turn (UndeliverableReply); later ones in the same turn fail at
 * once. A reply that was refused (4xx) is a fault of ours and fails the turn as before. Proactive turns are not
 * bounded here: their callers (and their retries) see every failure, each call bounded by `callBudgetMs`.
 */
export class TurnReplyDeadline implements Middleware {
  constructor(
    private readonly log: Log,
    private readonly limits: OutboundLimits = OUTBOUND_LIMITS,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (isProactive(context.activity)) return next();
    const deadline = Date.now() + this.limits.turnBudgetMs;
    const where = { conversationId: context.activity.conversation?.id, activityId: context.activity.id };
    let undeliverable: UndeliverableReply | undefined;

    const guard = async <T>(what: string, send: () => Promise<T>): Promise<T> => {
      if (undeliverable) {
        this.log.warn(
          { ...where, what, reason: 'an earlier reply of this turn failed' },
          'reply undeliverable',
        );
        throw new UndeliverableReply(what, 'an earlier reply of this turn failed');
      }
      const waitMs = Math.max(deadline - Date.now(), this.limits.lateReplyMs);
      try {
        return await within(send(), waitMs, what);
      } catch (error) {
        if (isRefusal(error)) throw error;
        const reason = describe(error);
        this.log.warn({ ...where, what, reason }, 'reply undeliverable');
        undeliverable = new UndeliverableReply(what, reason);
        throw undeliverable;
      }
    };

    context.onSendActivities((_context, activities, nextSend) =>
      activities.every((a) => a.type === ActivityTypes.InvokeResponse)
        ? nextSend()
        : guard(activities.map((a) => a.type ?? 'activity').join(', '), nextSend),
    );
    context.onUpdateActivity((_context, _activity, nextUpdate) => guard('card update', nextUpdate));
    context.onDeleteActivity((_context, _reference, nextDelete) => guard('deletion', nextDelete));
    await next();
  }
}

/** Turns the adapter starts itself (continueConversation, createConversation), not an HTTP request. */
export function isProactive(activity: Partial<Activity>): boolean {
  return (
    activity.type === ActivityTypes.Event &&
    (activity.name === ActivityEventNames.ContinueConversation ||
      activity.name === ActivityEventNames.CreateConversation)
  );
}

/**
 * Settles with `work`, or rejects after `ms` (the work itself is left to its own timeout). The timer only bounds
 * a wait: it does not keep a process alive that has nothing else to do.
 */
export function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms for ${what}`)), ms).unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The connector refused what we sent (4xx but timeouts and throttling): waiting or retrying changes nothing. */
function isRefusal(error: unknown): boolean {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}
