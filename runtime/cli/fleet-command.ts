// `ocppkit fleet`: load-tests a CSMS with many simulated stations (runtime/fleet/), with live progress on the
// terminal and a JSON and an HTML report at the end.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { htmlReport } from '../fleet/html-report.js';
import { probeTemplate } from '../fleet/probe.js';
import { progressPrinter, summaryText } from '../fleet/progress.js';
import { runFleet, type FleetOptions } from '../fleet/runner.js';
import { loadTemplate, TemplateError, type ResolvedTemplate } from '../fleet/template.js';
import { FleetSource } from '../fleet/ui-source.js';
import { codeOrMessage } from '../error-text.js';
import { startWebView, uiFlag, UI_FLAGS, UI_HELP, type UiFlag } from '../ui/cli-flags.js';
import { streamLog } from './output.js';
import {
  CannotRunError,
  intFlag,
  parseFlags,
  parseVersions,
  pemFile,
  required,
  secondsFlag,
  UsageError,
  type FlagSpecs,
} from './args.js';

export const FLEET_FLAGS = {
  csms: { value: true },
  stations: { value: true },
  template: { value: true },
  ocpp: { value: true },
  workers: { value: true },
  seed: { value: true },
  sessions: { value: true },
  duration: { value: true },
  ramp: { value: true },
  'db-dir': { value: true },
  'in-memory': { value: false },
  report: { value: true },
  html: { value: true },
  ...UI_FLAGS,
} as const satisfies FlagSpecs;

export const FLEET_HELP = `Usage: ocppkit fleet --csms <url> [--stations <n>] [--template <file>] [flags]

Load-tests a CSMS: n simulated stations (the simulated hardware of "ocppkit station") with identities from a
pattern, spread over worker threads, started at a ramp rate, each EVSE running an automatic session generator:
plug, present a card, charge for a random time at a random power, unplug, pause. Live progress on the terminal;
at the end a summary, and the reports asked for.

Flags:
  --csms <url>          the CSMS's base URL (ws:// or wss://); a station connects to <url>/<identity>
  --stations <n>        how many stations; default the template's stations.count (10)
  --template <file>     a JSON template (schema: runtime/fleet/template.schema.json in the package): station
                        model, EVSEs, power, versions, security profile, device-model values, identity pattern,
                        session behaviour, ramp, duration. Every field has a default
  --ocpp <versions>     the stations' OCPP versions, taken in turn: "1.6,2.0.1" makes every other station a 1.6
                        one; default the template's stations.versions (2.0.1)
  --workers <n>         worker threads; default one per core (${availableParallelism()} here)
  --seed <n>            the random seed: the same seed makes the same choices; default a random one (printed)
  --sessions <n>        sessions per station, then it idles; the run ends early when every station is done
  --duration <s>        how long the run lasts; default the template's durationSec (60)
  --ramp <n>            stations started per second; default the template's ramp.stationsPerSecond (20)
  --db-dir <folder>     where each worker keeps its stations' SQLite file (worker-<i>.db); default ./ocppkit-fleet
  --in-memory           keep the stores in memory instead
  --report <file.json>  write the report as JSON: totals and time series
  --html <file.html>    write the report as one self-contained HTML file with charts
${UI_HELP}

The web view lists every station (updated at most twice a second each); the station opened streams its messages,
and its buttons (plug, card, unplug, fault, clear) run on that station in its worker thread.

Progress (one line rewritten on a terminal, a line every 5 s otherwise): stations connecting / accepted /
offline, transactions running, CALLs per second, p50/p99 response time of the CSMS by action, CALLERRORs by
code, failures (refused <HTTP status>, connect failed, dropped, timed out). A station that is refused, dropped or
not answered keeps reconnecting with its normal back-off; the run still ends at its duration.
SIGINT (Ctrl-C) and SIGTERM stop the stations cleanly and write the reports.
Exit codes: 0 the run ended, 1 could not run (a worker failed), 2 wrong flags or template.`;

export interface FleetCommandOptions extends Omit<FleetOptions, 'signal' | 'onProgress' | 'ui'> {
  report?: string;
  html?: string;
  /** `--ui <port>`: the web view. */
  ui?: UiFlag;
}

/** Turns the flags and the template into the run's options; throws a UsageError naming the flag or field. */
export function fleetOptions(argv: readonly string[]): FleetCommandOptions {
  const f = parseFlags(argv, FLEET_FLAGS);
  const csmsUrl = required(f.csms, 'csms');
  if (!/^wss?:\/\//.test(csmsUrl))
    throw new UsageError(`--csms must be a ws:// or wss:// URL, got ${JSON.stringify(csmsUrl)}`);
  let template: ResolvedTemplate;
  try {
    template = loadTemplate(f.template);
  } catch (e) {
    if (e instanceof TemplateError)
      throw new UsageError(`template${f.template ? ` ${f.template}` : ''}:\n  ${e.problems.join('\n  ')}`);
    throw e;
  }
  if (f.ocpp !== undefined) template.stations.versions = parseVersions(f.ocpp);
  if (f['in-memory'] && f['db-dir'] !== undefined) throw new UsageError('--in-memory and --db-dir exclude each other');
  const ramp = f.ramp === undefined ? template.ramp.stationsPerSecond : Number(f.ramp);
  if (!Number.isFinite(ramp) || ramp <= 0)
    throw new UsageError(`--ramp must be a number above 0, got ${JSON.stringify(f.ramp)}`);
  const duration = secondsFlag(f.duration, 'duration') ?? template.durationSec;
  if (duration <= 0) throw new UsageError('--duration must be above 0');
  const ca = pemFile(template.security.ca, 'template security.ca');
  const ui = uiFlag(f);
  try {
    // What the schema cannot know (device-model names and values, 1.6 keys) is checked once by the runtime.
    probeTemplate(template, csmsUrl, ca);
  } catch (e) {
    if (e instanceof TemplateError)
      throw new UsageError(`template${f.template ? ` ${f.template}` : ''}:\n  ${e.problems.join('\n  ')}`);
    throw e;
  }
  return {
    csmsUrl,
    template,
    stations: intFlag(f.stations, 'stations', 1, 100_000) ?? template.stations.count,
    workers: intFlag(f.workers, 'workers', 1, 256) ?? availableParallelism(),
    seed: intFlag(f.seed, 'seed', 0, 2 ** 32 - 1) ?? Math.floor(Math.random() * 2 ** 32),
    sessionsLimit: intFlag(f.sessions, 'sessions', 1, 1_000_000) ?? template.sessions.perStation,
    durationSec: duration,
    rampPerSec: ramp,
    ...(f['in-memory'] ? {} : { dbDir: f['db-dir'] ?? 'ocppkit-fleet' }),
    ...(ca !== undefined ? { ca } : {}),
    ...(f.report !== undefined ? { report: f.report } : {}),
    ...(f.html !== undefined ? { html: f.html } : {}),
    ...(ui ? { ui } : {}),
  };
}

function write(path: string, text: string, what: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (e) {
    throw new CannotRunError(`cannot write the ${what} ${path}: ${codeOrMessage(e)}`);
  }
}

/** Runs `ocppkit fleet`; resolves with the exit code. */
export async function fleetCommand(argv: readonly string[]): Promise<number> {
  const { report, html, ui, ...options } = fleetOptions(argv);
  if (options.dbDir !== undefined) {
    try {
      mkdirSync(options.dbDir, { recursive: true });
    } catch (e) {
      throw new CannotRunError(`cannot create --db-dir ${options.dbDir}: ${codeOrMessage(e)}`);
    }
  }
  const out = process.stdout;
  out.write(
    `fleet: ${options.stations} stations on ${Math.min(options.workers, options.stations)} worker(s) against ${options.csmsUrl}, ${options.rampPerSec}/s, for ${options.durationSec} s, seed ${options.seed}, stores ${options.dbDir ?? 'in memory'}\n`,
  );
  // --ui: the page is served from the start (every station listed, not connected, until its worker reports it).
  const source = ui ? new FleetSource() : undefined;
  const view = ui && source ? await startWebView(source, ui, streamLog()) : undefined;
  if (ui && !view) return 1;
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const printer = progressPrinter(out);
  try {
    const result = await runFleet({
      ...options,
      ...(source ? { ui: source } : {}),
      signal: stop.signal,
      onProgress: (p) => printer.update(p),
    });
    printer.finish();
    out.write(`${summaryText(result)}\n`);
    if (report !== undefined) write(report, `${JSON.stringify(result, null, 2)}\n`, 'report');
    if (html !== undefined) write(html, htmlReport(result), 'HTML report');
    return Object.keys(result.totals.failures).some((k) => k.startsWith('worker ')) ? 1 : 0;
  } finally {
    await view?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
