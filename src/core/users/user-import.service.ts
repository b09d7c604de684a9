import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../context/request-context.js';
import type { CredentialService } from '../credentials/credential.service.js';
import { AuthError } from '../errors.js';
import type { Clock, Store } from '../ports.js';
import { buildUser, draftUser, hasPassword, type NewUserFields } from './new-user.js';
import type { User } from './user.types.js';

/** A user from another system, with the password hash it had there. */
export interface ImportedUser extends Pick<NewUserFields, 'username' | 'email' | 'name' | 'roles'> {
  /** A hash in a format the hasher verifies; the first successful login rehashes it to argon2id. */
  passwordHash: string;
  /** The hash's format, for the audit trail (e.g. `bcrypt`). */
  hashScheme: string;
}

/** An entry that was not imported, by its position in the list given, and why. */
export interface ImportFailure {
  index: number;
  error: AuthError;
}

export interface ImportOutcome {
  imported: number;
  /** In the order of the entries. */
  failures: ImportFailure[];
}

interface Drafted {
  index: number;
  user: User;
  entry: ImportedUser;
}

/**
 * Imports users with pre-hashed legacy passwords (the CLI's `tessera import`). Each entry is made
 * by the same factory as a registration (username, reserved prefix, email, name and role rules),
 * without the password policy: there is no password to check, only its hash.
 */
export class UserImportService {
  constructor(
    private readonly store: Store,
    private readonly credentials: CredentialService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The entries a registration's rules refuse, without writing anything. */
  check(entries: readonly ImportedUser[]): ImportFailure[] {
    return this.draft(entries, this.clock.now()).failures;
  }

  /**
   * Imports what it can and answers why it skipped the others (a rule, or a username or email
   * already taken). With `atomic`, any failure imports nothing: all are written in one transaction.
   */
  async importUsers(entries: readonly ImportedUser[], options: { atomic: boolean }, context: RequestContext): Promise<ImportOutcome> {
    const { drafted, failures } = this.draft(entries, this.clock.now());
    if (options.atomic) {
      if (failures.length > 0) return { imported: 0, failures };
      let failing: number | undefined;
      try {
        await this.store.transaction(async (tx) => {
          for (const d of drafted) {
            failing = d.index;
            await tx.users.insert(d.user);
          }
        });
      } catch (error) {
        if (!(error instanceof AuthError) || failing === undefined) throw error;
        return { imported: 0, failures: [{ index: failing, error }] };
      }
      for (const d of drafted) await this.recorded(d, context);
      return { imported: drafted.length, failures: [] };
    }
    let imported = 0;
    for (const d of drafted) {
      try {
        await this.store.users.insert(d.user);
      } catch (error) {
        if (!(error instanceof AuthError)) throw error;
        failures.push({ index: d.index, error });
        continue;
      }
      await this.recorded(d, context);
      imported += 1;
    }
    return { imported, failures: failures.sort((a, b) => a.index - b.index) };
  }

  private draft(entries: readonly ImportedUser[], now: number): { drafted: Drafted[]; failures: ImportFailure[] } {
    const drafted: Drafted[] = [];
    const failures: ImportFailure[] = [];
    entries.forEach((entry, index) => {
      try {
        if (!hasPassword(entry)) throw new AuthError('invalid_input', 'password_hash is not a password hash', { field: 'password_hash' });
        const { passwordHash, username, email, name, roles } = entry;
        const user = buildUser(draftUser({ username, email, name, roles }), { hash: passwordHash, expiresAt: this.credentials.passwordExpiry(now) }, now);
        drafted.push({ index, user, entry });
      } catch (error) {
        if (!(error instanceof AuthError)) throw error;
        failures.push({ index, error });
      }
    });
    return { drafted, failures };
  }

  private recorded({ user, entry }: Drafted, context: RequestContext): Promise<void> {
    return this.audit.record('admin.user_created', { userId: user.id, context, detail: { roles: user.roles, imported: true, hashScheme: entry.hashScheme } });
  }
}
