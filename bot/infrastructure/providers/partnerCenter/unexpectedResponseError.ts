import { errorDetails } from './errorDetails';

/**
 * An answer the provider cannot use (a refusal on a read, or a body without the documented shape).
 * The message carries the status and Microsoft's cleaned-up code and description, never request headers.
 */
export class UnexpectedResponseError extends Error {
  readonly code: string | undefined;

  constructor(
    readonly service: string,
    readonly operation: string,
    readonly status: number,
    body: unknown,
    problem?: string,
  ) {
    const details = errorDetails(body);
    const said = [details.code && `code ${details.code}`, details.description].filter(Boolean).join(': ');
    super(
      `${service} answered ${operation} with HTTP ${status}${problem ? ` (${problem})` : ''}${said ? `: ${said}` : ''}`,
    );
    this.name = 'UnexpectedResponseError';
    this.code = details.code;
  }
}
