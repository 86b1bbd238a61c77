/**
 * Forks bench-server.ts (the real server in a process of its own) and talks to it over IPC, for
 * the scenarios whose load generator must not share the server's event loop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { LoopFigures, ServerCommand, ServerMessage } from './bench-server.js';
import { within } from './deadline.js';

export interface BenchServerProcess {
  url: string;
  pid: number;
  send(command: ServerCommand): void;
  /** Sends `command` and resolves with the server's next message of type `answer`. */
  request<T extends ServerMessage['type']>(command: ServerCommand, answer: T, timeoutMs?: number): Promise<Extract<ServerMessage, { type: T }>>;
  figures(resolutionMs: number): Promise<LoopFigures>;
  stop(): Promise<void>;
}

/** `env`: the server's environment (default this process's), e.g. `{ ...process.env, WORKER_THREADS: '1' }`. */
export async function startBenchServer(options: { env?: NodeJS.ProcessEnv } = {}): Promise<BenchServerProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./bench-server.ts', import.meta.url)), [], {
    execArgv: process.execArgv,
    env: options.env ?? process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends ServerMessage['type']>(type: T, timeoutMs = 60_000) => {
    let cleanUp = () => {};
    const answer = new Promise<Extract<ServerMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: ServerMessage) => {
        if (message.type !== type && message.type !== 'error') return;
        cleanUp();
        if (message.type === 'error') reject(new Error(message.message));
        else resolve(message as Extract<ServerMessage, { type: T }>);
      };
      const onExit = (code: number | null) => {
        cleanUp();
        reject(new Error(`the bench server exited (code ${code})`));
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      cleanUp = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
    });
    return within(answer, timeoutMs, `the bench server's "${type}" message`).finally(cleanUp);
  };
  const request: BenchServerProcess['request'] = (command, answer, timeoutMs) => {
    // Listening first: the answer may come before send's callback would.
    const answered = next(answer, timeoutMs);
    child.send(command);
    return answered;
  };
  const ready = await next('ready');
  return {
    url: ready.url,
    pid: child.pid!,
    send: (command) => child.send(command),
    request,
    figures: (resolutionMs) => request({ type: 'measure-stop', resolutionMs }, 'figures'),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'stop' } satisfies ServerCommand);
      await within(exited, 30_000, 'the bench server to stop').catch(() => child.kill('SIGKILL'));
    },
  };
}
