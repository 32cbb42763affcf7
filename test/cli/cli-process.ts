// Runs the `ocppkit` command as a child process (the sources, through tsx), the way a user runs it: arguments,
// stdin, stdout/stderr, signals, exit code. Every process is killed when the test ends.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = resolve(ROOT, 'runtime/cli/main.ts');
// Absolute, so that the command can run in a temporary directory without node_modules.
const TSX = import.meta.resolve('tsx');

export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything printed so far (stdout and stderr, in arrival order). */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Writes one line to stdin. */
  send(line: string): void;
  /** Resolves with the first output line matching, waiting at most `ms`. */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  /** Resolves with the exit code (or the signal's name), rejecting after `ms`. */
  exited(ms?: number): Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

const running = new Set<ChildProcessWithoutNullStreams>();
process.on('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

export function ocppkit(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  let all = '';
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());
  child.stdout.setEncoding('utf8').on('data', (d: string) => ((all += d), (out += d), changed()));
  child.stderr.setEncoding('utf8').on('data', (d: string) => ((all += d), (err += d), changed()));
  child.stdin.on('error', () => {});
  let exit: number | string | undefined;
  child.on('exit', (code, signal) => {
    exit = code ?? signal ?? 'unknown';
    running.delete(child);
    changed();
  });
  const wait = <T>(test: () => T | undefined, ms: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const v = test();
        if (v === undefined) return;
        cleanup();
        resolve(v);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${ms} ms waiting for ${what}; output so far:\n${all}`));
      }, ms);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  return {
    child,
    output: () => all,
    stdout: () => out,
    stderr: () => err,
    send: (line) => void child.stdin.write(`${line}\n`),
    waitFor: (pattern, ms = 10_000) => wait(() => all.split('\n').find((l) => pattern.test(l)), ms, String(pattern)),
    exited: (ms = 10_000) => wait(() => exit, ms, 'the process to exit'),
    kill: (signal = 'SIGTERM') => void child.kill(signal),
  };
}

/** Runs a command to its end with the given stdin; resolves with its exit code and output. */
export async function ocppkitRun(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string; ms?: number } = {},
) {
  const p = ocppkit(args, options);
  if (options.stdin !== undefined) p.child.stdin.end(options.stdin);
  const code = await p.exited(options.ms ?? 15_000);
  return { code, stdout: p.stdout(), stderr: p.stderr(), output: p.output() };
}
