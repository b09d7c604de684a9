import type { AuditService } from '../audit/audit.service.js';
import type { CredentialService } from '../credentials/credential.service.js';
import { AuthError } from '../errors.js';
import type { Clock, Store } from '../ports.js';
import { newId } from '../secrets.js';
import type { RequestContext } from '../context/request-context.js';
import { EXTERNAL_USERNAME_PREFIX, isReservedUsername, looksLikeEmail, normalizeEmail, normalizeUsername } from './username.js';
import type { Address, Profile, RegistrationInput, User } from './user.types.js';

const MAX_ADDRESSES = 100;

/** Registration, profiles and addresses. */
export class UserService {
  constructor(
    private readonly store: Store,
    private readonly credentials: CredentialService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Creates a user. A username that is an email address doubles as the email when none is given.
   * Uniqueness (username in any case, email) is enforced by the store in the same write.
   */
  async register(input: RegistrationInput, context: RequestContext): Promise<User> {
    const username = normalizeUsername(input.username);
    if (isReservedUsername(username.key)) {
      throw new AuthError('invalid_input', `usernames starting with "${EXTERNAL_USERNAME_PREFIX}" are reserved for external identities`, { field: 'username' });
    }
    const email =
      input.email !== undefined
        ? normalizeEmail(input.email)
        : looksLikeEmail(username.display)
          ? normalizeEmail(username.display, 'username')
          : null;
    const passwordHash = await this.credentials.hashNew({ username: username.display }, input.password);
    const now = this.clock.now();
    const user: User = {
      id: newId(),
      username: username.display,
      usernameKey: username.key,
      email,
      name: input.name?.normalize('NFKC').trim() || null,
      locale: input.locale ?? null,
      passwordHash,
      passwordChangedAt: now,
      passwordExpiresAt: this.credentials.passwordExpiry(now),
      roles: [...new Set(input.roles ?? [])],
      emailVerified: false,
      termsAccepted: input.termsAndConditions ?? false,
      locked: false,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.users.insert(user);
    await this.audit.record('user.registered', { userId: user.id, context });
    return user;
  }

  /** Creates the bootstrap admin unless a user of that name exists; answers whether it created one. */
  async ensureAdmin(username: string, password: string): Promise<boolean> {
    const existing = await this.store.users.findByUsernameKey(normalizeUsername(username).key);
    if (existing) return false;
    await this.register({ username, password, roles: ['admin'] }, { surface: 'bootstrap' });
    return true;
  }

  /** The user a verified token speaks for; a deleted user's token is no longer valid. */
  async require(userId: string): Promise<User> {
    const user = await this.store.users.findById(userId);
    if (!user) throw new AuthError('invalid_token', 'the token belongs to no current user');
    if (user.locked) throw new AuthError('account_locked', 'the account is locked');
    return user;
  }

  async profile(userId: string): Promise<Profile> {
    const user = await this.require(userId);
    return { user, addresses: await this.store.users.listAddresses(userId) };
  }

  async addAddress(userId: string, address: string, type: string): Promise<Address> {
    await this.require(userId);
    const existing = await this.store.users.listAddresses(userId);
    if (existing.length >= MAX_ADDRESSES) {
      throw new AuthError('invalid_input', `a user can have at most ${MAX_ADDRESSES} addresses`, { field: 'address' });
    }
    const record: Address = {
      id: newId(),
      userId,
      address: address.normalize('NFKC').trim(),
      type: type.normalize('NFKC').trim(),
      createdAt: this.clock.now(),
    };
    if (!record.address) throw new AuthError('invalid_input', 'address must not be empty', { field: 'address' });
    await this.store.users.addAddress(record);
    return record;
  }

  async setLocale(userId: string, locale: string): Promise<void> {
    await this.store.users.update(userId, { locale, updatedAt: this.clock.now() });
  }
}
