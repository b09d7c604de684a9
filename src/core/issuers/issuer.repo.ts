import type { ExternalIdentity, TrustedIssuer } from './issuer.types.js';

export type IssuerPatch = Partial<Pick<TrustedIssuer, 'audience' | 'requireJti'>>;

export interface IssuerRepo {
  /** Throws AuthError `invalid_input` (field `issuer`) when the issuer is already registered. */
  insert(issuer: TrustedIssuer): Promise<void>;
  findByIssuer(issuer: string): Promise<TrustedIssuer | undefined>;
  /** Changes what may change after registration; answers the issuer as it is now, or undefined. */
  update(id: string, patch: IssuerPatch): Promise<TrustedIssuer | undefined>;
  list(): Promise<TrustedIssuer[]>;
  delete(id: string): Promise<boolean>;
  findIdentity(issuerId: string, subject: string): Promise<ExternalIdentity | undefined>;
  /** Answers false when the identity already exists (another request linked it first). */
  insertIdentity(identity: ExternalIdentity): Promise<boolean>;
  /** Remembers a token id until `expiresAt` (forgetting older ones); false if it was already seen (a replay). */
  rememberJti(issuerId: string, jti: string, expiresAt: number, now: number): Promise<boolean>;
}
