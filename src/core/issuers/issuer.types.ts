import type { JSONWebKeySet } from 'jose';

/** An external token issuer whose JWTs `/v1/auth/token` and token exchange accept. */
export interface TrustedIssuer {
  id: string;
  /** The exact `iss` value its tokens carry. */
  issuer: string;
  /** When set, the exact `aud` its tokens must carry. */
  audience: string | null;
  jwks: JSONWebKeySet | null;
  publicKeyPem: string | null;
  /** Pinned at registration from the key types: only these algorithms verify. */
  algorithms: string[];
  createdAt: number;
}

/** The local user an external (issuer, subject) maps to, created on first sight. */
export interface ExternalIdentity {
  issuerId: string;
  subject: string;
  userId: string;
  createdAt: number;
}
