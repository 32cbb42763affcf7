// `--ui <port>` and `--ui-host <address>`, shared by `ocppkit station`, `ocppkit csms` and `ocppkit fleet`:
// the flags, their help lines, and starting the web view with a line saying where it is.
import { intFlag, UsageError, type FlagSpecs } from '../cli/args.js';
import type { Log } from '../cli/output.js';
import { codeOrMessage } from '../error-text.js';
import { isLoopback, startUiServer, type UiServer } from './server.js';
import type { UiSource } from './types.js';

export const UI_FLAGS = {
  ui: { value: true },
  'ui-host': { value: true },
} as const satisfies FlagSpecs;

export const UI_HELP = `  --ui <port>                serve a live web view on http://127.0.0.1:<port>/ (0: any free port; the URL is
                             printed): the stations, their connectors and transactions, each station's messages
                             as they pass, and buttons for the commands
  --ui-host <address>        the web view's address; default 127.0.0.1 (this machine only; it has no login)`;

export interface UiFlag {
  port: number;
  host: string;
}

/** The web view asked for, or undefined; throws a UsageError naming the flag. */
export function uiFlag(f: { ui?: string; 'ui-host'?: string }): UiFlag | undefined {
  const port = intFlag(f.ui, 'ui', 0, 65_535);
  if (port === undefined) {
    if (f['ui-host'] !== undefined) throw new UsageError('--ui-host goes with --ui <port>');
    return undefined;
  }
  const host = f['ui-host'] ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--ui-host needs an address, e.g. 127.0.0.1');
  return { port, host };
}

/** Starts the web view and says where; resolves with undefined (after an error line) when it cannot listen. */
export async function startWebView(source: UiSource, flag: UiFlag, log: Log): Promise<UiServer | undefined> {
  try {
    const server = await startUiServer(source, flag);
    log.info(`web view on ${server.url}`);
    if (!isLoopback(server.address.address))
      log.warn(`the web view on ${flag.host} has no login: anyone who can reach it can plug, unplug and send calls`);
    return server;
  } catch (e) {
    log.error(`cannot serve the web view on ${flag.host}:${flag.port}: ${codeOrMessage(e)}`);
    return undefined;
  }
}
