/**
 * Every message that crosses the thread boundary between the engine and the worker pool's entry
 * (worker-entry.ts). Worker code imports only this file of the server's.
 */

/** Given to every thread of the pool (Piscina's `workerData`). */
export interface WorkerThreadData {
  /** Module URLs whose named function exports are the jobs; loaded by each thread at start. */
  modules: string[];
}

/** What the pool asks a thread to do. */
export type WorkerTask =
  /** Run the job named `job` (a named export of one of the modules) with `payload`. */
  | { kind: 'run'; job: string; payload: unknown }
  /** Answer the names of every job the modules export (`JobListing`), or fail as they failed to load. */
  | { kind: 'listJobs' };

export interface JobListing {
  jobs: string[];
}
