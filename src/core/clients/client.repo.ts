import type { OAuthClient } from './client.types.js';

export interface ClientRepo {
  insert(client: OAuthClient): Promise<void>;
  findById(id: string): Promise<OAuthClient | undefined>;
  list(): Promise<OAuthClient[]>;
  delete(id: string): Promise<boolean>;
}
