// Starts test/store/fixtures/child-store.ts (or another script) as a real process and waits for a line of its output.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const script = join(import.meta.dirname, 'fixtures/child-store.ts');

export interface Child {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first line matching `re` (or rejects after `ms`). */
  waitFor(re: RegExp, ms?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startChild(args: string[], scriptPath = script): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', scriptPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  let buf = '';
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  proc.stdout!.on('data', (d) => {
    buf += d;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (const w of [...waiters]) if (w.re.test(line)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(line));
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    proc.on('exit', (code, signal) => r({ code, signal })),
  );
  return {
    proc,
    lines,
    exited,
    waitFor(re, ms = 20_000) {
      const seen = lines.find((l) => re.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`child did not print ${re} within ${ms} ms; stderr: ${stderr}`)),
          ms,
        );
        waiters.push({ re, resolve: (l) => (clearTimeout(t), resolve(l)) });
        void exited.then(() =>
          setTimeout(() => reject(new Error(`child exited before printing ${re}; stderr: ${stderr}`)), 50),
        );
      });
    },
  };
}
