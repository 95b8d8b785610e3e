import express, { type RequestHandler } from 'express';

/**
 * Parses JSON/urlencoded bodies when the host has not already done so. body-parser skips a
 * request whose stream was consumed (e.g. by NestJS's global parsers), keeping their `req.body`.
 */
export function bodyParsers(): RequestHandler[] {
  return [
    express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] }),
    express.urlencoded({ extended: true, limit: '1mb' }),
  ];
}
