import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('../package/consumer/', import.meta.url));
/** What `npm pack` needs to build and pack the package. */
const packageSources = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE', 'src'];

/** Versions the consumer installs beside the package: those this repository pins (npm's cache has them). */
const consumerDependencies = { zod: '4.6.7', typescript: '5.9.3', '@types/node': '20.19.25' };

/**
 * A project of its own in a temporary folder, as a team would have it: the package installed from
 * the tarball `npm pack` makes (its `prepack` builds it), with npm preferring its cache, and the
 * project's TypeScript (test/package/consumer) compiled with `tsc --strict` against the package's
 * types. `dispose` removes the folder.
 */
export async function createPackedConsumer() {
  const dir = await mkdtemp(join(tmpdir(), 'ats-consumer-'));
  const npm = (args: string[], cwd: string) => run('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], { cwd, maxBuffer: 64 * 1024 * 1024 });
  // Packed from a copy of the sources: `prepack` rebuilds dist/ from scratch, and the repository's
  // dist/web is in use by the browser tests running beside this one.
  const source = join(dir, 'source');
  for (const entry of packageSources) await cp(join(repoRoot, entry), join(source, entry), { recursive: true });
  await symlink(join(repoRoot, 'node_modules'), join(source, 'node_modules'), 'dir');
  await npm(['pack', '--pack-destination', dir], source);
  const tarball = (await readdir(dir)).find((file) => file.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball to ${dir}`);
  await cp(fixture, dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  await npm(['install', `./${tarball}`, ...Object.entries(consumerDependencies).map(([name, version]) => `${name}@${version}`)], dir);
  // tsc reports on stdout: a failure says what did not compile.
  await run(join(dir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: dir }).catch((error: { stdout?: string }) => {
    throw new Error(`the consumer project does not compile against the package:\n${error.stdout ?? String(error)}`);
  });

  const children: ChildProcess[] = [];
  return {
    dir,
    tarball: join(dir, tarball),
    /** The files the tarball holds, relative to the package root. */
    async packedFiles(): Promise<string[]> {
      const { stdout } = await run('tar', ['-tzf', join(dir, tarball)]);
      return stdout.split('\n').filter(Boolean).map((file) => file.replace(/^package\//, ''));
    },
    /** Runs `command` in the project; resolves with the process and its output so far, once `ready` matches a line. */
    async start(command: string, args: string[], ready: RegExp, env: Record<string, string> = {}) {
      const child = spawn(command, args, { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      const lines: string[] = [];
      const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as string | null }));
      const match = await new Promise<RegExpExecArray>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${command} did not get ready:\n${lines.join('\n')}`)), 30_000);
        for (const stream of [child.stdout!, child.stderr!]) {
          let pending = '';
          stream.setEncoding('utf8').on('data', (chunk: string) => {
            pending += chunk;
            const parts = pending.split('\n');
            pending = parts.pop()!;
            for (const line of parts) {
              lines.push(line);
              const found = ready.exec(line);
              if (found) {
                clearTimeout(timer);
                resolve(found);
              }
            }
          });
        }
        void exited.then(({ code }) => {
          clearTimeout(timer);
          reject(new Error(`${command} exited (${code}) before it was ready:\n${lines.join('\n')}`));
        });
      });
      return { child, lines, match, exited };
    },
    /** Runs a command in the project to its end. */
    exec: (command: string, args: string[]) => run(command, args, { cwd: dir }),
    async dispose() {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type PackedConsumer = Awaited<ReturnType<typeof createPackedConsumer>>;
