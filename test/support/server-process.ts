import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The real server as its own process (src/main.ts through tsx), for tests that kill it. Resolves
 * once it listens, with its base URL; its JSON log lines are kept for assertions.
 */
export async function startServerProcess(env: Record<string, string>, options: { timeoutMs?: number; args?: string[] } = {}) {
  // `args`: another entry than the demo server, e.g. ['src/cli.ts', '--tasks', 'some-tasks.ts'].
  const child = spawn(process.execPath, ['--import', 'tsx', ...(options.args ?? ['src/main.ts'])], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', DEMO_DATA: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as string | null }));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left running behind the failed test.
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${lines.join('\n')}`));
    }, options.timeoutMs ?? 20_000);
    const onLine = (line: string) => {
      lines.push(line);
      const match = /"url":"(http:\/\/[^"]+)\/graphql".*async-task-server listening/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    collectLines(child, onLine);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code} before listening:\n${lines.join('\n')}`));
    });
  });
  return {
    url,
    child,
    lines,
    exited,
    /** Sends `signal` and resolves with how the process ended. */
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the server expecting it to fail at start; resolves with its exit code and output. */
export async function runServerExpectingFailure(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', DEMO_DATA: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  collectLines(child, (line) => lines.push(line));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, output: lines.join('\n') };
}

function collectLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout!, child.stderr!]) {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const part of parts) onLine(part);
    });
  }
}
