import type { JWK } from 'jose';

export type SigningAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

export interface SigningKeyRecord {
  /** RFC 7638 JWK thumbprint of the public key. */
  kid: string;
  alg: SigningAlgorithm;
  publicJwk: JWK;
  /** PKCS#8 PEM of the private key. */
  privatePem: string;
  createdAt: number;
  /** When the key stopped signing (a newer key took over); null while current. */
  retiredAt: number | null;
}
