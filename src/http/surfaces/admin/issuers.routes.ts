import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { TrustedIssuer } from '../../../core/issuers/issuer.types.js';
import type { Core } from '../../../core/tessera.js';
import { contextOf } from '../../shared/request-context.js';
import { Text } from '../../shared/schemas.js';
import { requestDateTime } from '../../shared/timezone.js';
import { adminProblems, adminTags, Deleted, Id, IdParams } from './schemas.js';

const Jwk = Type.Object({ kty: Text(16, { minLength: 1 }) }, { additionalProperties: true });

const IssuerBody = Type.Object({
  issuer: Text(1024, { minLength: 1, description: 'the exact `iss` its tokens carry' }),
  publicKeyPem: Type.Optional(Text(16_384, { minLength: 1, description: 'SPKI PEM (RSA >= 2048, EC P-256 or Ed25519); or give `jwks`' })),
  jwks: Type.Optional(Type.Object({ keys: Type.Array(Jwk, { minItems: 1, maxItems: 20 }) }, { description: 'public keys only' })),
  audience: Text(1024, { minLength: 1, description: 'the `aud` its tokens carry for Tessera; tokens with another audience or none are refused' }),
  requireJti: Type.Optional(Type.Boolean({ description: 'refuse tokens without `jti` (default false; a `jti`, when present, is accepted once)' })),
});

const IssuerPatch = Type.Object(
  {
    audience: Type.Optional(Text(1024, { minLength: 1, description: 'the `aud` its tokens carry for Tessera' })),
    requireJti: Type.Optional(Type.Boolean()),
  },
  { minProperties: 1 },
);

const Issuer = Type.Object({
  id: Id,
  issuer: Type.String(),
  audience: Type.Union([Type.String(), Type.Null()], { description: 'null only for an issuer registered before audiences were required: it accepts no token until one is set' }),
  requireJti: Type.Boolean(),
  algorithms: Type.Array(Type.String(), { description: 'pinned from the key type at registration' }),
  keySource: Type.Union([Type.Literal('publicKeyPem'), Type.Literal('jwks')]),
  createdAt: Type.String({ format: 'date-time' }),
});

function renderIssuer(request: FastifyRequest, issuer: TrustedIssuer) {
  return {
    id: issuer.id,
    issuer: issuer.issuer,
    audience: issuer.audience,
    requireJti: issuer.requireJti,
    algorithms: issuer.algorithms,
    keySource: issuer.jwks ? ('jwks' as const) : ('publicKeyPem' as const),
    createdAt: requestDateTime(request, issuer.createdAt),
  };
}

/** /v1/admin/issuers: external token issuers whose JWTs POST /v1/auth/token and token exchange accept. */
export const issuerRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.post(
    '/v1/admin/issuers',
    {
      schema: {
        tags: adminTags,
        summary: 'Trust an external token issuer',
        description:
          'Give exactly one of `publicKeyPem` and `jwks`, and the `audience` its tokens carry for Tessera. Its tokens must carry `iss`, `sub`, `exp` and that `aud`; ' +
          'a `jti` is accepted once (and required with `requireJti`). The local user is keyed by the exact `sub`. ' +
          'headers that choose a key (`jku`, `x5u`, `jwk`, `x5c`) are refused. An issuer that is already registered is 400.',
        body: IssuerBody,
        response: { 201: Issuer, ...adminProblems(413, 415) },
      },
    },
    async (request, reply) => {
      const { issuer, publicKeyPem, jwks, audience, requireJti } = request.body;
      const registered = await core.issuers.register({ issuer, publicKeyPem, jwks, audience, requireJti }, contextOf(request, 'admin'));
      return reply.code(201).send(renderIssuer(request, registered));
    },
  );

  app.get(
    '/v1/admin/issuers',
    {
      schema: {
        tags: adminTags,
        summary: 'The trusted external issuers',
        response: { 200: Type.Array(Issuer), ...adminProblems() },
      },
    },
    async (request) => (await core.issuers.list()).map((i) => renderIssuer(request, i)),
  );

  app.patch(
    '/v1/admin/issuers/:id',
    {
      schema: {
        tags: adminTags,
        summary: "Set an issuer's audience or requireJti",
        description: 'An issuer registered before audiences were required accepts no token until its `audience` is set here.',
        params: IdParams,
        body: IssuerPatch,
        response: { 200: Issuer, ...adminProblems(404, 413, 415) },
      },
    },
    async (request) => {
      const { audience, requireJti } = request.body;
      return renderIssuer(request, await core.issuers.update(request.params.id, { audience, requireJti }, contextOf(request, 'admin')));
    },
  );

  app.delete(
    '/v1/admin/issuers/:id',
    {
      schema: {
        tags: adminTags,
        summary: 'Stop trusting an issuer',
        description: 'Users it created stay; their links to the issuer go with it.',
        params: IdParams,
        response: { 200: Deleted, ...adminProblems(404) },
      },
    },
    async (request) => {
      await core.issuers.delete(request.params.id, contextOf(request, 'admin'));
      return { deleted: true as const };
    },
  );
};
