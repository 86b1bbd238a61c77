/**
 * `async-task-server`: a GraphQL server that runs your long, CPU-heavy tasks in worker threads,
 * under per-task limits, with live feedback over subscriptions.
 *
 *   const server = await createServer({ tasks: [myTask], workers: new URL('./jobs.js', import.meta.url) });
 *   await server.start({ port: 4000 });
 *
 * Everything a task author touches is exported here; what an extension author adds beside it is
 * in `async-task-server/extension`.
 */
export { createServer, type AsyncTaskServer, type ServerOptions } from './server/create-server.js';
export { stopOnSignals } from './server/stop-on-signals.js';
export { reloadTokensOnHangup } from './server/reload-tokens-on-hangup.js';
export type { ServerExtension } from './server/extension.js';
export { ConfigError, loadConfig, type Config, type ServerSettings } from './config.js';

// Tasks.
export {
  defineTask,
  InvalidTaskInputError,
  type AnyTaskDefinition,
  type CodeSchedule,
  type InputProblem,
  type RetentionPolicy,
  type TaskDefinition,
} from './engine/task-definition.js';
export type { RetryPolicy } from './engine/retry-policy.js';
export type { FeedbackOptions, TaskContext } from './engine/task-context.js';
export type { TaskLimits } from './store/store.js';
export type {
  AttemptOutcome,
  AttemptRecord,
  Execution,
  ExecutionEvent,
  ExecutionStatus,
  FeedbackMode,
  TerminalStatus,
} from './engine/execution.js';

// Why a flow's signal was aborted, and what a write after it meets.
export {
  EndedElsewhereError,
  endsExecution,
  EngineShutdownError,
  ExecutionNoLongerRunningError,
  LeaseLostError,
  NonRetryableError,
  TaskStoppedError,
  TaskTimeoutError,
  type AbortReason,
} from './engine/errors.js';

// Worker jobs.
export { UnknownWorkerJobError, WorkerJobError, type WorkerFault, type WorkerModule } from './engine/worker-pool.js';
