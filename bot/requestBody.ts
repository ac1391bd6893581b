import type { IncomingMessage } from 'node:http';
import { createGunzip, type Gunzip } from 'node:zlib';

/** A request body read within the limit, or why it was refused (status and a sentence for the client). */
export type BodyResult =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly status: 400 | 413 | 415; readonly message: string };

const TOO_LARGE = (limit: number) =>
  `The request body is larger than ${Math.floor(limit / 1024)} KB once decoded, the most this service accepts.`;
const UNREADABLE = 'The request body could not be read.';
const NOT_GZIP = 'The request body says it is gzip-compressed, but it is not valid gzip.';
const UNSUPPORTED_ENCODING =
  'The request body is compressed in a way this service does not accept: send it uncompressed or as gzip.';
const NOT_UTF8 = 'The request body is not valid UTF-8.';
const NOT_JSON = 'The request body is not valid JSON.';
const TOO_DEEP = 'The request body is nested too deeply.';

/** Deeper JSON than any Bot Framework activity or tab call: refused before anything walks it recursively. */
export const MAX_JSON_DEPTH = 64;

/**
 * Reads a request body whole, with every limit applied to the bytes after decoding (README: Security): a
 * gzip body is inflated chunk by chunk and dropped the moment it passes `limit`, so a small "zip bomb" costs
 * at most `limit` bytes of memory. The compressed bytes count against the same limit. Every error of the
 * request stream and of the decoder ends here as a refusal; nothing is thrown.
 *
 * JSON bodies (application/json, application/*+json) are parsed; any other type is left undefined for the
 * route to refuse, and an empty body is undefined.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit)
    return Promise.resolve({ ok: false, status: 413, message: TOO_LARGE(limit) });

  const encoding = (request.headers['content-encoding'] ?? '').trim().toLowerCase();
  let decoder: Gunzip | undefined;
  if (encoding === 'gzip' || encoding === 'x-gzip') decoder = createGunzip();
  else if (encoding !== '' && encoding !== 'identity')
    return Promise.resolve({ ok: false, status: 415, message: UNSUPPORTED_ENCODING });

  return new Promise<BodyResult>((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let decoded = 0;
    let settled = false;

    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      request.off('data', onReceived);
      if (decoder) {
        request.unpipe(decoder);
        decoder.off('data', onDecoded);
        // Stops inflating at once; an error it may still emit is already handled below.
        decoder.destroy();
      } else {
        request.off('data', onDecoded);
      }
      // Whatever the client still sends is read and dropped (the response closes the connection).
      request.resume();
      resolve(result);
    };
    const refuse = (status: 400 | 413, message: string) => settle({ ok: false, status, message });

    const onReceived = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) refuse(413, TOO_LARGE(limit));
    };
    const onDecoded = (chunk: Buffer) => {
      decoded += chunk.length;
      if (decoded > limit) refuse(413, TOO_LARGE(limit));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      if (settled) return;
      settle(parse(Buffer.concat(chunks, decoded), request.headers['content-type']));
    };

    request.on('data', onReceived);
    request.on('error', () => refuse(400, UNREADABLE));
    request.on('close', () => {
      if (!request.complete) refuse(400, UNREADABLE);
    });
    if (decoder) {
      decoder.on('data', onDecoded);
      decoder.on('end', onEnd);
      decoder.on('error', () => refuse(400, NOT_GZIP));
      request.pipe(decoder);
    } else {
      request.on('data', onDecoded);
      request.on('end', onEnd);
    }
  });
}

function parse(raw: Buffer, contentType: string | undefined): BodyResult {
  if (raw.length === 0) return { ok: true, body: undefined };
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type))
    return { ok: true, body: undefined };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return { ok: false, status: 400, message: NOT_UTF8 };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, status: 400, message: NOT_JSON };
  }
  return depth(body) > MAX_JSON_DEPTH ? { ok: false, status: 400, message: TOO_DEEP } : { ok: true, body };
}

/** How deeply arrays and objects nest in a parsed JSON value, counted without recursion. */
export function depth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[object, number]> = typeof value === 'object' && value !== null ? [[value, 1]] : [];
  while (stack.length > 0) {
    const [current, level] = stack.pop() as [object, number];
    deepest = Math.max(deepest, level);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(current))
      if (typeof child === 'object' && child !== null) stack.push([child, level + 1]);
  }
  return deepest;
}
