export interface Account {
  id: string;
  name: string;
  createdAt: number;
}

export interface Membership {
  accountId: string;
  userId: string;
  role: string;
}
