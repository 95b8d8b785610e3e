import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { Error as MongooseError } from 'mongoose';
import { DATABASE_RETRY_AFTER_SECONDS } from '../database/connection-options';
import { isDatabaseUnavailableError } from '../database/database-availability';
import { DomainException } from './domain.exception';
import { ERROR_STATUS } from './error-codes';
import { ErrorBody, errorBody } from './error-body';
import { RazorpayError } from '../razorpay/razorpay.errors';
import { isDuplicateKeyError } from './duplicate-key';

/** Maps every thrown thing to `{statusCode, error, message}`; only real faults become 5xx. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (exception instanceof RazorpayError) {
      // An upstream failure, already classified: the stack would say nothing new.
      this.logger.warn(`${body.statusCode} ${exception.operation}: ${exception.message}`);
    } else if (body.code === 'DATABASE_UNAVAILABLE') {
      // One line per request during an outage; the stack is always the driver's.
      const detail = exception instanceof Error ? `${exception.name}: ${exception.message}` : '';
      this.logger.warn(`503 database unavailable: ${detail}`);
    } else if (body.statusCode >= 500) {
      const detail =
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
      this.logger.error(`${body.statusCode} ${body.message}: ${detail}`);
    }
    if (response.headersSent) return;
    // Razorpay and browsers retry a 503; say when (the driver checks the server every 500 ms).
    if (body.statusCode === 503) response.setHeader('Retry-After', DATABASE_RETRY_AFTER_SECONDS);
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainException) {
      return errorBody(ERROR_STATUS[exception.code], exception.message, exception.code);
    }
    if (exception instanceof RazorpayError) {
      return errorBody(exception.httpStatus, exception.message, exception.code);
    }
    const failedChecks = exception instanceof HttpException && this.failedHealthChecks(exception);
    if (failedChecks) {
      // A terminus readiness check: say what is down in the shared body.
      return errorBody(
        503,
        `Not ready: ${failedChecks.join(', ')} down`,
        failedChecks.includes('database') ? 'DATABASE_UNAVAILABLE' : undefined,
      );
    }
    if (exception instanceof HttpException) {
      return errorBody(exception.getStatus(), this.httpMessage(exception));
    }
    if (
      exception instanceof MongooseError.CastError ||
      exception instanceof MongooseError.ValidationError
    ) {
      return errorBody(400, exception.message, 'VALIDATION_FAILED');
    }
    if (isDuplicateKeyError(exception)) {
      return errorBody(409, 'The resource already exists', 'CONFLICT');
    }
    if (isDatabaseUnavailableError(exception)) {
      return errorBody(
        503,
        'The database is unavailable; try again shortly',
        'DATABASE_UNAVAILABLE',
      );
    }
    return errorBody(500, 'Internal server error');
  }

  /** The failed checks of a @nestjs/terminus result (`{status: 'error', error: {...}}`), if it is one. */
  private failedHealthChecks(exception: HttpException): string[] | undefined {
    const response = exception.getResponse() as { status?: unknown; error?: unknown };
    if (exception.getStatus() !== 503 || response?.status !== 'error') return undefined;
    return typeof response.error === 'object' && response.error
      ? Object.keys(response.error)
      : undefined;
  }

  private httpMessage(exception: HttpException): string {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    return typeof message === 'string' ? message : exception.message;
  }
}
