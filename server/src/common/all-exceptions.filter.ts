import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { Error as MongooseError } from 'mongoose';
import { DomainException } from './domain.exception';
import { ERROR_STATUS } from './error-codes';
import { ErrorBody, errorBody } from './error-body';
import { RazorpayError } from '../razorpay/razorpay.errors';
import { isDuplicateKeyError } from './duplicate-key';

const DATABASE_DOWN = new Set([
  'MongoNetworkError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoNetworkTimeoutError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

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
    } else if (body.statusCode >= 500) {
      const detail =
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
      this.logger.error(`${body.statusCode} ${body.message}: ${detail}`);
    }
    if (!response.headersSent) response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainException) {
      return errorBody(ERROR_STATUS[exception.code], exception.message, exception.code);
    }
    if (exception instanceof RazorpayError) {
      return errorBody(exception.httpStatus, exception.message, exception.code);
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
    if (exception instanceof Error && this.isDatabaseDown(exception)) {
      return errorBody(
        503,
        'The database is unavailable; try again shortly',
        'DATABASE_UNAVAILABLE',
      );
    }
    return errorBody(500, 'Internal server error');
  }

  private httpMessage(exception: HttpException): string {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    return typeof message === 'string' ? message : exception.message;
  }

  private isDatabaseDown(error: Error): boolean {
    return DATABASE_DOWN.has(error.name) || /buffering timed out/.test(error.message);
  }
}
