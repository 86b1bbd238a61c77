import { v5 as uuidv5 } from 'uuid';

/** Namespace of contract ids (a random UUID, fixed forever: changing it changes every id). */
const contractNamespace = '6f1d2c0e-8b7a-4c53-9d1e-3a5b7c9e0f21';

/**
 * The id of the contract an execution makes for a client: the same every time for the same pair
 * (a name-based UUID), so an attempt that resumes after a crash writes to exactly the place the
 * dead attempt may have half filled, and never leaves a second PDF for one client.
 */
export function contractIdFor(executionId: string, clientId: string): string {
  return uuidv5(`${executionId}\n${clientId}`, contractNamespace);
}
