import { ErrorCode } from './error-codes';

/** A rule of the shop was broken; the filter turns the code into the HTTP status. */
export class DomainException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainException';
  }
}
