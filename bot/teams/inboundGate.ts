import { activityProblem } from './activityShape';

/**
 * What every POST /api/messages must pass before the Bot Framework SDK sees it: in production, a bearer
 * token issued by the Bot Framework channel for Microsoft Teams (the SDK then checks its signature,
 * audience, expiry, serviceUrl and endorsements); everywhere, a tenant on the allow-list when there is one.
 */
export interface InboundPolicy {
  /** Production (MicrosoftAppId set): only Teams, only with a Bot Framework channel token. */
  readonly requireChannelToken: boolean;
  /** The issuer of tokens from the Bot Framework channel. */
  readonly channelIssuer: string;
  readonly allowedTenantIds: readonly string[] | 'any';
}

export const BOT_FRAMEWORK_CHANNEL_ISSUER = 'https://api.botframework.com';

export type GateResult = { ok: true } | { ok: false; status: 401 | 403; reason: string };

interface ActivityLike {
  readonly channelId?: unknown;
  readonly conversation?: { readonly tenantId?: unknown };
  readonly channelData?: { readonly tenant?: { readonly id?: unknown } };
}

/** The gate as the server applies it: an activity's shape first (400), then who may call (401, 403). */
export function inboundVerdict(
  authorization: string | undefined,
  body: unknown,
  policy: InboundPolicy,
): { ok: true } | { ok: false; status: 400 | 401 | 403; reason: string; message: string } {
  const problem = activityProblem(body);
  if (problem) return { ok: false, status: 400, reason: 'not an activity', message: problem };
  const verdict = checkInbound(authorization, body, policy);
  if (verdict.ok) return verdict;
  return { ...verdict, message: verdict.status === 401 ? 'Unauthorized' : 'Forbidden' };
}

export function checkInbound(
  authorization: string | undefined,
  body: unknown,
  policy: InboundPolicy,
): GateResult {
  const activity = (typeof body === 'object' && body !== null ? body : {}) as ActivityLike;
  if (policy.requireChannelToken) {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return { ok: false, status: 401, reason: 'missing bearer token' };
    const { algorithm, issuer } = unverifiedHeaderAndIssuer(token);
    if (algorithm !== 'RS256') return { ok: false, status: 401, reason: 'token not signed with RS256' };
    if (issuer !== policy.channelIssuer)
      return { ok: false, status: 401, reason: 'token not issued by the Bot Framework channel' };
    if (activity.channelId !== 'msteams')
      return { ok: false, status: 401, reason: 'only Microsoft Teams may call this bot' };
  }
  if (policy.allowedTenantIds !== 'any') {
    const tenant = tenantOf(activity);
    if (!tenant || !policy.allowedTenantIds.includes(tenant))
      return { ok: false, status: 403, reason: 'tenant not allowed' };
  }
  return { ok: true };
}

/** The tenant an activity says it comes from (Teams puts it in both places; they must agree). */
export function tenantOf(activity: ActivityLike): string | undefined {
  const fromConversation =
    typeof activity.conversation?.tenantId === 'string' ? activity.conversation.tenantId : undefined;
  const fromChannelData =
    typeof activity.channelData?.tenant?.id === 'string' ? activity.channelData.tenant.id : undefined;
  if (fromConversation && fromChannelData && fromConversation !== fromChannelData) return undefined;
  return fromConversation ?? fromChannelData;
}

/**
 * The signing algorithm and the `iss` claim of a JWT, read without verifying it: only to refuse tokens of
 * other issuers (or unsigned, or HMAC-signed ones) early. The SDK verifies the accepted ones completely.
 */
function unverifiedHeaderAndIssuer(token: string): { algorithm?: string; issuer?: string } {
  const [header, payload] = token.split('.');
  try {
    const { alg } = JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')) as { alg?: unknown };
    const { iss } = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return {
      algorithm: typeof alg === 'string' ? alg : undefined,
      issuer: typeof iss === 'string' ? iss : undefined,
    };
  } catch {
    return {};
  }
}
