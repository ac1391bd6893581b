import { isRecord } from './partnerCenterResources';

/** What Microsoft said about a refused request, cleaned for showing to people and writing to logs. */
export interface ErrorDetails {
  readonly code?: string;
  readonly description?: string;
}

const MAX_DESCRIPTION = 200;

/**
 * Reads an error body in any of the documented shapes: Partner Center's `{code, description, data, source}`,
 * its throttling body `{statusCode, message}`, and Graph's `{error: {code, message}}`. The description is
 * cut to 200 characters and anything that looks like a credential is removed, because it may reach a user.
 */
export function errorDetails(body: unknown): ErrorDetails {
  if (!isRecord(body)) return {};
  const source = isRecord(body.error) ? body.error : body;
  const code = source.code ?? source.statusCode;
  const text = source.description ?? source.message;
  return {
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(typeof text === 'string' && text.trim() ? { description: cleanDescription(text) } : {}),
  };
}

/** Removes bearer tokens, JWTs and header-like credentials, flattens whitespace, and shortens. */
export function cleanDescription(text: string, max = MAX_DESCRIPTION): string {
  const cleaned = text
    .replace(/bearer\s+[^\s"',;]+/gi, 'Bearer [redacted]')
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[redacted]')
    .replace(
      /(authorization|client_secret|access_token|password)(["']?\s*[:=]\s*)[^\s,;&]+/gi,
      '$1$2[redacted]',
    )
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();
  return cleaned.length > max ? `${cleaned.slice(0, max - 1).trimEnd()}…` : cleaned;
}
