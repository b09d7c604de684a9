import type { ExternalIdentity, TrustedIssuer } from './issuer.types.js';

export interface IssuerRepo {
  /** Throws AuthError `invalid_input` (field `issuer`) when the issuer is already registered. */
  insert(issuer: TrustedIssuer): Promise<void>;
  findByIssuer(issuer: string): Promise<TrustedIssuer | undefined>;
  list(): Promise<TrustedIssuer[]>;
  delete(id: string): Promise<boolean>;
  findIdentity(issuerId: string, subject: string): Promise<ExternalIdentity | undefined>;
  /** Answers false when the identity already exists (another request linked it first). */
  insertIdentity(identity: ExternalIdentity): Promise<boolean>;
  /** Remembers a token id until it expires; false if it was already seen (a replay). */
  rememberJti(issuerId: string, jti: string, expiresAt: number, now: number): Promise<boolean>;
}
