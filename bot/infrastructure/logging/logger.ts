import pino, { type Logger } from 'pino';

/** Fields that must never reach a log line, wherever they appear. */
export const REDACTED_PATHS = [
  'authorization',
  'Authorization',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'password',
  '*.password',
  'secret',
  '*.secret',
  '*.clientSecret',
  '*.MicrosoftAppPassword',
  'MicrosoftAppPassword',
  'token',
  '*.token',
  '*.accessToken',
  '*.access_token',
];

/** Structured JSON logs (pino) with secrets redacted. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'license-desk' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}
