// A server file of this project: its tasks and worker jobs, the package's server.
import { createServer, stopOnSignals, type AsyncTaskServer } from 'async-task-server';
import { tasks, workers } from './tasks.js';

const server: AsyncTaskServer = await createServer({ tasks, workers, port: 0, workerThreads: 1, logLevel: 'warn' });
const { url } = await server.start();
// The test reads this line to find the server.
console.log(JSON.stringify({ listening: url }));
stopOnSignals(server, server.logger);
