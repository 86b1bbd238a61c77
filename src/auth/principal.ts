/** Who is calling: the API token's name and role, or the open (no tokens) local caller. */
export interface Principal {
  /** The token's name, recorded as an execution's `startedBy`; null when the server runs open. */
  name: string | null;
  /** `admin` sees every execution and alone may configure tasks and edit groups and templates. */
  role: 'user' | 'admin';
}

/** With no tokens configured every caller is this one: everything is visible (local use only). */
export const openAccess: Principal = { name: null, role: 'admin' };

/** Whether `principal` may see and act on something started by `startedBy`. */
export function canSee(principal: Principal, startedBy: string | null): boolean {
  return principal.role === 'admin' || (principal.name !== null && principal.name === startedBy);
}

/** The `startedBy` filter for listings: null (everything) for admins, else the caller's own. */
export function ownedBy(principal: Principal): string | null {
  return principal.role === 'admin' ? null : principal.name;
}
