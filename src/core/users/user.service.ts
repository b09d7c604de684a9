import type { AuditService } from '../audit/audit.service.js';
import type { CredentialService } from '../credentials/credential.service.js';
import { AuthError } from '../errors.js';
import type { Clock, Store } from '../ports.js';
import { newId } from '../secrets.js';
import type { RequestContext } from '../context/request-context.js';
import { buildUser, draftUser } from './new-user.js';
import { normalizeUsername } from './username.js';
import { ADMIN_ROLE } from './roles.js';
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
    const draft = draftUser({ ...input, termsAccepted: input.termsAndConditions });
    const passwordHash = await this.credentials.hashNew({ username: draft.username }, input.password);
    const now = this.clock.now();
    const user = buildUser(draft, { hash: passwordHash, expiresAt: this.credentials.passwordExpiry(now) }, now);
    await this.store.users.insert(user);
    await this.audit.record('user.registered', { userId: user.id, context });
    return user;
  }

  /** Creates the bootstrap admin unless a user of that name exists; answers whether it created one. */
  async ensureAdmin(username: string, password: string): Promise<boolean> {
    const existing = await this.store.users.findByUsernameKey(normalizeUsername(username).key);
    if (existing) return false;
    try {
      await this.register({ username, password, roles: [ADMIN_ROLE] }, { surface: 'bootstrap' });
      return true;
    } catch (error) {
      // Instances starting at once race here: the one that lost finds the admin made.
      if (error instanceof AuthError && error.code === 'username_taken') return false;
      throw error;
    }
  }

  /** The profile of `user` (the principal's user, read once by the authenticator). */
  async profile(user: User): Promise<Profile> {
    return { user, addresses: await this.store.users.listAddresses(user.id) };
  }

  async addAddress(user: User, address: string, type: string): Promise<Address> {
    const existing = await this.store.users.listAddresses(user.id);
    if (existing.length >= MAX_ADDRESSES) {
      throw new AuthError('invalid_input', `a user can have at most ${MAX_ADDRESSES} addresses`, { field: 'address' });
    }
    const record: Address = {
      id: newId(),
      userId: user.id,
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
