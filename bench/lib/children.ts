// Spawning the benchmark's child processes (tsx, --expose-gc) and talking to them over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface Child {
  proc: ChildProcess;
  send(msg: string): void;
  /** The next IPC message of `type` (rejects when the child exits first or after `ms`). */
  next<T = Record<string, unknown>>(type: string, ms?: number): Promise<T>;
  kill(): Promise<void>;
}

/** `file` runs through tsx, unless it is plain JavaScript (.mjs): that runs on node alone, as an installed package. */
export function spawnChild(file: string, args: string[], extraExecArgv: string[] = []): Child {
  const tsx = file.endsWith('.mjs') ? [] : ['--import', 'tsx'];
  const proc = fork(join(import.meta.dirname, file), args, {
    execArgv: ['--expose-gc', ...tsx, ...extraExecArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const queue: Record<string, unknown>[] = [];
  const waiters: Array<{ type: string; resolve: (m: Record<string, unknown>) => void }> = [];
  proc.on('message', (m: Record<string, unknown>) => {
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(m);
    else queue.push(m);
  });
  return {
    proc,
    send: (msg) => proc.send(msg),
    next<T>(type: string, ms = 120_000) {
      const i = queue.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(queue.splice(i, 1)[0] as T);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${file}: no "${type}" within ${ms} ms`)), ms);
        proc.once('exit', (code) => reject(new Error(`${file} exited (${code}) before "${type}"`)));
        waiters.push({ type, resolve: (m) => (clearTimeout(timer), resolve(m as T)) });
      });
    },
    kill: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.send('exit');
        setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
      }),
  };
}
