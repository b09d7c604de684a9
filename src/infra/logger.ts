import pino, { type Logger } from 'pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { redactPaths, serializeRequest } from './log-redaction.js';

/** The process logger: JSON lines, secrets redacted, requests logged without headers or bodies. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactPaths, censor: '[REDACTED]' },
      serializers: {
        req: (request: FastifyRequest) => serializeRequest(request),
        res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}
