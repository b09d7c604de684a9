export interface User {
  id: string;
  /** As the user typed it: trimmed and NFKC-normalized. */
  username: string;
  /** Case-folded form used for uniqueness and lookup. */
  usernameKey: string;
  email: string | null;
  name: string | null;
  locale: string | null;
  passwordHash: string;
  passwordChangedAt: number;
  /** Epoch ms after which the password only buys a restricted token; null = never. */
  passwordExpiresAt: number | null;
  roles: string[];
  emailVerified: boolean;
  termsAccepted: boolean;
  locked: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface Address {
  id: string;
  userId: string;
  address: string;
  type: string;
  createdAt: number;
}

export interface RegistrationInput {
  username: string;
  password: string;
  email?: string | undefined;
  name?: string | undefined;
  locale?: string | undefined;
  termsAndConditions?: boolean | undefined;
  roles?: string[] | undefined;
}

export interface Profile {
  user: User;
  addresses: Address[];
}
