import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** Request headers a browser client of any surface may send. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'X-API-Key', 'X-nugios-timezone', 'X-Request-Id'];

/** Response headers a browser client needs to read: challenges, back-off and correlation. */
const EXPOSED_HEADERS = ['WWW-Authenticate', 'Retry-After', 'X-Request-Id'];

/**
 * Cross-origin access for browser clients, off unless CORS_ORIGINS names origins. A request from
 * one of them gets its own origin echoed back (with `Vary: Origin`); any other origin gets no
 * Access-Control-Allow-Origin at all. Never `*`, never credentials: tokens travel in the
 * Authorization header, not in cookies, so there is nothing for credentials mode to send.
 */
export async function registerCors(app: FastifyInstance, origins: readonly string[] | undefined): Promise<void> {
  if (origins === undefined || origins.length === 0) return;
  await app.register(cors, {
    // An array, even of one: @fastify/cors sends a single string to every caller.
    origin: [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
    // A stray OPTIONS without Origin gets an empty 204 instead of a text/plain 400.
    strictPreflight: false,
  });
}
