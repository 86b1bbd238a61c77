/**
 * The entry of the shared worker pool: every CPU-heavy job any task runs, as named exports.
 * A task's flow calls `ctx.runInWorker('<export name>', payload)`. Worker code never imports
 * server modules.
 */
export { renderContracts } from './contracts/workers.js';
