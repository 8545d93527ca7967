import type { Role } from '../domain';

/** A user as the administration API shows it (never a password or its hash). */
export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** Social workers only: the Comune (ISTAT code) they work for. */
  comuneCode: string | null;
  /** The Ambiti whose cases the user sees (social workers: through their Comune). */
  ambitoIds: string[];
  active: boolean;
  createdAt: string;
}

export interface AdminUserList {
  items: AdminUser[];
  /** The Ambiti the caller may assign (admin: all; a coordinator: their own). */
  ambiti: Array<{ id: string; name: string }>;
}

/** The answer of a creation or password reset: the one-time temporary password, shown once. */
export interface AdminUserWithPassword {
  user: AdminUser;
  temporaryPassword: string;
}
