/**
 * The entry of every thread of the shared worker pool. It loads the worker modules the server
 * was given (the tasks' own, an extension's) and runs their named exports as jobs by name, so
 * one pool serves them all. It imports nothing of the server's but the message types.
 */
import { workerData } from 'piscina';
import type { JobListing, WorkerTask, WorkerThreadData } from './worker-messages.js';

type Job = (payload: unknown) => unknown;

async function loadJobs(modules: string[]): Promise<Map<string, Job>> {
  const jobs = new Map<string, Job>();
  const from = new Map<string, string>();
  for (const url of modules) {
    const exports = (await import(url)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value !== 'function' || name === 'default') continue;
      const earlier = from.get(name);
      if (earlier) throw new Error(`Two worker modules export a job named "${name}": ${earlier} and ${url}`);
      jobs.set(name, value as Job);
      from.set(name, url);
    }
  }
  return jobs;
}

// Loaded once per thread, before its first task (Piscina waits for a module's top-level await).
// A module that fails to load must not kill the thread (an uncaught error in a pool's thread takes
// the server down): the failure is kept, and every task the thread gets rejects with it, the
// server's start-up job listing first.
const loaded = await loadJobs((workerData as WorkerThreadData).modules).then(
  (jobs) => ({ jobs, error: null }),
  (error: unknown) => ({ jobs: new Map<string, Job>(), error }),
);

export default function runTask(task: WorkerTask): unknown {
  if (loaded.error !== null) throw loaded.error;
  if (task.kind === 'listJobs') return { jobs: [...loaded.jobs.keys()].sort() } satisfies JobListing;
  const job = loaded.jobs.get(task.job);
  // The pool checks names before it sends a job: this is only reached by a bug.
  if (!job) throw new Error(`No worker job is named "${task.job}"`);
  return job(task.payload);
}
