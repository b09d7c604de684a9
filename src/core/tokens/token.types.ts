/** Who a verified credential speaks for, as every surface sees it. */
export interface Principal {
  userId: string;
  username: string;
  roles: string[];
  accounts: AccountClaim[];
  /** True for the short-lived token an expired password buys: only password change accepts it. */
  passwordExpired: boolean;
  /** How the caller authenticated. */
  via: 'access_token' | 'api_key';
  /** Set when the subject is an OAuth client (client_credentials), not a user. */
  clientId: string | null;
  tokenId: string;
  expiresAt: number;
}

export interface AccountClaim {
  id: string;
  role: string;
}

export interface IssuedAccessToken {
  token: string;
  jti: string;
  expiresAt: number;
  /** Lifetime in seconds, for `expires_in`. */
  expiresIn: number;
}

/** The decoded form of one of our tokens (seed 003's tokenInfo). */
export interface DecodedToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}
