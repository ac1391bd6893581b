/**
 * The shape every activity must have before the Bot Framework SDK sees it: the SDK assumes these fields and
 * fails with a server error (and its own error text) when they are missing or of another type. Only shapes
 * are checked here; what the values mean (who sent it, from which tenant) is the inbound gate's and the SDK's.
 */

const NOT_AN_ACTIVITY = 'The request body is not a Bot Framework activity';
const TYPE = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

type Json = Record<string, unknown>;

/** Why `body` is not an activity the bot can take, as a sentence for the caller; undefined when it is one. */
export function activityProblem(body: unknown): string | undefined {
  if (!isObject(body)) return `${NOT_AN_ACTIVITY}: it must be a JSON object.`;
  const problem =
    (typeof body.type === 'string' && TYPE.test(body.type)
      ? undefined
      : '"type" must be a word such as "message"') ??
    optionalText(body, 'id', 256) ??
    serviceUrlProblem(body.serviceUrl) ??
    optionalText(body, 'channelId', 64) ??
    account(body, 'conversation', 1024) ??
    account(body, 'from', 256) ??
    account(body, 'recipient', 256) ??
    ['text', 'name', 'locale', 'localTimezone', 'replyToId', 'textFormat', 'timestamp', 'localTimestamp']
      .map((field) => optionalText(body, field))
      .find((p) => p !== undefined) ??
    ['entities', 'attachments', 'membersAdded', 'membersRemoved']
      .map((field) => optionalListOfObjects(body, field))
      .find((p) => p !== undefined) ??
    (body.channelData === undefined || isObject(body.channelData)
      ? undefined
      : '"channelData" must be an object');
  return problem ? `${NOT_AN_ACTIVITY}: ${problem}.` : undefined;
}

/** `conversation`, `from` and `recipient`: objects with a string id, and strings where Teams puts strings. */
function account(body: Json, field: string, maxIdLength: number): string | undefined {
  const value = body[field];
  if (!isObject(value)) return `"${field}" must be an object with an "id"`;
  if (typeof value.id !== 'string' || value.id.trim() === '' || value.id.length > maxIdLength)
    return `"${field}.id" must be a non-empty string of at most ${maxIdLength} characters`;
  for (const key of ['name', 'aadObjectId', 'tenantId', 'conversationType', 'role']) {
    if (value[key] !== undefined && value[key] !== null && typeof value[key] !== 'string')
      return `"${field}.${key}" must be a string`;
  }
  return undefined;
}

/** Where replies go: an absolute http(s) URL without credentials; plain http only to this machine. */
function serviceUrlProblem(value: unknown): string | undefined {
  const problem = '"serviceUrl" must be the https URL of the Bot Connector';
  if (typeof value !== 'string' || value.length > 2048) return problem;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return problem;
  }
  if (url.username || url.password) return problem;
  if (url.protocol === 'https:') return undefined;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) ? undefined : problem;
}

function optionalText(body: Json, field: string, maxLength?: number): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return `"${field}" must be a string`;
  return maxLength !== undefined && value.length > maxLength
    ? `"${field}" must be at most ${maxLength} characters`
    : undefined;
}

function optionalListOfObjects(body: Json, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) && value.every(isObject) ? undefined : `"${field}" must be a list of objects`;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
