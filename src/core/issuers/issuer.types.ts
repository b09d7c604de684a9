import type { JSONWebKeySet } from 'jose';

/** An external token issuer whose JWTs `/v1/auth/token` and token exchange accept. */
export interface TrustedIssuer {
  id: string;
  /** The exact `iss` value its tokens carry. */
  issuer: string;
  /**
   * The `aud` its tokens must carry (exactly, or among an array). Required at registration; null
   * only for issuers registered before that, which refuse every token until an admin sets it.
   */
  audience: string | null;
  /** Tokens without `jti` are refused (otherwise a `jti`, when present, is still used once only). */
  requireJti: boolean;
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
