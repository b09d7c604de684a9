/** What a one-time code is for. */
export type CodePurpose = 'reset_code' | 'reset_token' | 'email_verification';

export interface OneTimeCode {
  id: string;
  userId: string;
  purpose: CodePurpose;
  /** Hash of the code; the code itself is only ever in the mail or the response. */
  codeHash: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}
