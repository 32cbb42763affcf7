// What the web view's tests share: a simulated station (StationRun on a real store file) and the built-in CSMS,
// each with its web view wired the way `ocppkit station --ui` / `ocppkit csms --ui` wire it; an HTTP helper; a
// reader of Server-Sent Events over a real socket; and the headless browser (Debian's Chromium).
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { logCsms } from '../../runtime/cli/csms-log.js';
import type { Log } from '../../runtime/cli/output.js';
import { StationRun } from '../../runtime/cli/station-run.js';
import { SimpleCsms, type SimpleCsmsOptions } from '../../runtime/csms/simple-csms.js';
import type { ProtocolName } from '../../runtime/protocol.js';
import type { TraceSink } from '../../runtime/rpc/trace.js';
import { csmsWebView } from '../../runtime/ui/csms-source.js';
import { startUiServer, type UiServer } from '../../runtime/ui/server.js';
import { stationWebView } from '../../runtime/ui/station-source.js';

/** A log that keeps its lines (the terminal of the command). */
export function memoryLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (t) => void lines.push(t),
    warn: (t) => void lines.push(`warning: ${t}`),
    error: (t) => void lines.push(`error: ${t}`),
  };
}

export interface StationUnderTest {
  run: StationRun;
  ui: UiServer;
  log: Log & { lines: string[] };
  stop(): Promise<void>;
}

/** A simulated station with its web view, as `ocppkit station --ui 0` builds it; started. */
export async function stationWithView(options: {
  csmsUrl: string;
  identity: string;
  dir: string;
  evses?: number;
  versions?: ProtocolName[];
  tracePath?: string;
  password?: string;
  securityProfile?: 1;
  variables?: Record<string, string>;
  /** Another sink of every trace entry (what the station exchanged, for comparison). */
  alsoTrace?: TraceSink;
}): Promise<StationUnderTest> {
  const log = memoryLog();
  const web = stationWebView(log);
  const trace: TraceSink = options.alsoTrace ? (entry) => (web.trace(entry), options.alsoTrace!(entry)) : web.trace;
  const run = new StationRun({
    identity: options.identity,
    csmsUrl: options.csmsUrl,
    versions: options.versions ?? ['ocpp2.0.1'],
    dbPath: join(options.dir, `${options.identity}.db`),
    evses: options.evses ?? 1,
    powerW: 11_000,
    info: { model: 'ocppkit-sim', vendorName: 'ocppkit' },
    variables: { 'SecurityCtrlr.OrganizationName': 'ocppkit', ...options.variables },
    connectTimeoutSec: 20,
    ...(options.tracePath ? { tracePath: options.tracePath } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.securityProfile ? { securityProfile: options.securityProfile } : {}),
    log: web.log,
    // `status` and `help` print here; the page gets them in the command's answer.
    out: new Writable({ write: (_chunk, _encoding, done) => done() }),
    extraTrace: trace,
  });
  let chain = Promise.resolve();
  const serialize = (task: () => Promise<void>) =>
    (chain = chain.then(task).catch((e: unknown) => log.error(String(e))));
  const ui = await startUiServer(web.source(run, serialize), { port: 0 });
  await run.start();
  await run.accepted;
  return {
    run,
    ui,
    log,
    stop: async () => {
      await run.stop();
      await ui.close();
    },
  };
}

export interface CsmsUnderTest {
  csms: SimpleCsms;
  /** ws:// base URL stations connect to. */
  url: string;
  ui: UiServer;
  log: Log & { lines: string[] };
  close(): Promise<void>;
}

/** The built-in CSMS with its web view, as `ocppkit csms --ui 0` builds it. */
export async function csmsWithView(options: SimpleCsmsOptions = {}): Promise<CsmsUnderTest> {
  const log = memoryLog();
  const web = csmsWebView(log);
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1', 'ocpp1.6'], ...options, trace: web.trace });
  logCsms(csms, log);
  const url = csms.url(await csms.listen());
  const ui = await startUiServer(web.source(csms), { port: 0 });
  return {
    csms,
    url,
    ui,
    log,
    close: async () => {
      await ui.close();
      await csms.close();
    },
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any;
}

/** One HTTP request to the web view (same-origin headers as the page sends them, unless overridden). */
export function http(
  base: string,
  path: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) }),
      );
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** POSTs a command line to a station, as the page does. */
export const command = (base: string, identity: string, line: string) =>
  http(base, `/api/stations/${encodeURIComponent(identity)}/commands`, {
    method: 'POST',
    body: JSON.stringify({ line }),
    headers: { 'content-type': 'application/json' },
  });

export interface SseEvent {
  event: string;
  id?: string;
  data: any;
}

export interface SseReader {
  events: SseEvent[];
  /** Everything received, as sent (for searching for secrets). */
  text(): string;
  waitFor(match: (e: SseEvent) => boolean, ms?: number): Promise<SseEvent>;
  close(): void;
}

/** Reads a Server-Sent Events stream over a real socket. */
export function sse(base: string, path: string, headers: Record<string, string> = {}): Promise<SseReader> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream ${path}: HTTP ${res.statusCode}`));
      const events: SseEvent[] = [];
      const waiters = new Set<() => void>();
      let all = '';
      let buffer = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        all += d;
        buffer += d;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const e: Partial<SseEvent> & { lines: string[] } = { lines: [] };
          for (const line of block.split('\n')) {
            const colon = line.indexOf(':');
            const field = line.slice(0, colon);
            const value = line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') e.event = value;
            else if (field === 'id') e.id = value;
            else if (field === 'data') e.lines.push(value);
          }
          if (e.event === undefined) continue;
          events.push({
            event: e.event,
            ...(e.id !== undefined ? { id: e.id } : {}),
            data: JSON.parse(e.lines.join('\n')),
          });
          for (const w of waiters) w();
        }
      });
      resolve({
        events,
        text: () => all,
        waitFor: (match, ms = 10_000) =>
          new Promise((ok, fail) => {
            const check = () => {
              const found = events.find(match);
              if (!found) return;
              clearTimeout(timer);
              waiters.delete(check);
              ok(found);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(
                new Error(`no matching event on ${path} within ${ms} ms; got ${JSON.stringify(events).slice(-2000)}`),
              );
            }, ms);
            waiters.add(check);
            check();
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = () => existsSync(CHROMIUM);

/** Debian's Chromium through playwright-core (it never downloads a browser of its own). */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Registers a test that needs the browser. Without /usr/bin/chromium it is skipped with a message saying so, except
 * under CI=true, where a missing browser is a failure (the Makefile installs it there).
 */
export function browserTest(
  register: ((name: string, fn: () => Promise<void>) => void) & { skip(name: string, fn: () => Promise<void>): void },
  name: string,
  fn: () => Promise<void>,
  env: NodeJS.ProcessEnv = process.env,
  executable = CHROMIUM,
): void {
  if (existsSync(executable)) return register(name, fn);
  const why = `${executable} is missing (Debian: apt-get install chromium); the web view's browser tests need it`;
  if (env.CI === 'true') return register(name, async () => assert.unreachable(why));
  console.log(`skip: ${name}: ${why}`);
  register.skip(name, fn);
}
