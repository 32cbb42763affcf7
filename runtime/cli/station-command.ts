// `ocppkit station`: a simulated charging station on the ocppkit runtime, driven by commands on stdin or a script.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { DeviceModelConfigError } from '../station/device-model/errors.js';
import { StationOptionsError } from '../station/options.js';
import { StoreError } from '../store/errors.js';
import {
  intFlag,
  parseFlags,
  parseVersions,
  pemFile,
  required,
  secondsFlag,
  CannotRunError,
  UsageError,
  type FlagSpecs,
} from './args.js';
import { streamLog } from './output.js';
import { CommandError, parseCommand, parseScript, type StationCommand } from './station-commands.js';
import { StationRun, type StationRunOptions } from './station-run.js';
import { messageOf, codeOrMessage } from '../error-text.js';
import { startWebView, uiFlag, UI_FLAGS, UI_HELP, type UiFlag } from '../ui/cli-flags.js';
import { stationWebView } from '../ui/station-source.js';

export const STATION_FLAGS = {
  csms: { value: true },
  id: { value: true },
  ocpp: { value: true },
  db: { value: true },
  'db-engine': { value: true },
  evses: { value: true },
  'security-profile': { value: true },
  password: { value: true },
  ca: { value: true },
  cert: { value: true },
  key: { value: true },
  enroll: { value: true },
  trace: { value: true },
  script: { value: true },
  model: { value: true },
  vendor: { value: true },
  serial: { value: true },
  'firmware-version': { value: true },
  'firmware-root': { value: true },
  power: { value: true },
  set: { value: true, multiple: true },
  'connect-timeout': { value: true },
  ...UI_FLAGS,
} as const satisfies FlagSpecs;

export const STATION_HELP = `Usage: ocppkit station --csms <url> --id <station id> [flags]

A simulated charging station (OCPP 2.0.1 / 2.1) on the ocppkit runtime: connectors, a card reader and an energy
meter that advances with the charging power. Commands come from stdin (one a line) or from --script.

Flags:
  --csms <url>               the CSMS's base URL (ws:// or wss://); the station connects to <url>/<station id>
  --id <station id>          the charging station identity (at most 48 characters, no ":")
  --ocpp <versions>          version(s) offered, most preferred first: 2.0.1, 2.1 or a comma list such as
                             "2.1,2.0.1" (also spelled ocpp2.0.1); default 2.0.1. 1.6 alone: an OCPP 1.6J
                             station (connector n is EVSE n; --set takes 1.6 configuration keys too, e.g.
                             --set MeterValueSampleInterval=10)
  --db <file>                the station's SQLite store (state, queued messages, meter); default <station id>.db
                             in the current directory
  --db-engine <engine>       better-sqlite3 (default; install it next to ocppkit) or node:sqlite (Node >= 22.13)
  --evses <n>                number of EVSEs, one connector each; default 1
  --security-profile <n>     1: ws:// + password; 2: wss:// + password; 3: wss:// + client certificate
  --password <p>             Basic-auth password (profiles 1 and 2); or set OCPPKIT_PASSWORD, which keeps it out of ps
  --ca <pem file>            CA certificate(s) the CSMS certificate must chain to (wss://)
  --cert <pem file>          the station certificate (profile 3)
  --key <pem file>           its private key (profile 3)
                             Profile 3 without --cert/--key: the certificate the CSMS issued before (kept in
                             <db>.keys and the store), or one got through --enroll
  --enroll <url>             profile 3 without a certificate: the CSMS's enrollment endpoint (wss://, profile 2
                             with --password), where the station gets its first certificate (A02) before it
                             reconnects with profile 3 to --csms (ocppkit csms prints it)
  --trace <file>             append every OCPP-J frame as a JSON line (secrets masked)
  --script <file>            run these commands once the CSMS accepted the boot (plus "sleep <seconds>");
                             the station keeps running after the script unless it ends with "quit"
  --model <text>             BootNotification chargingStation.model; default ocppkit-sim
  --vendor <text>            BootNotification chargingStation.vendorName; default ocppkit
  --serial <text>            BootNotification chargingStation.serialNumber
  --firmware-version <text>  BootNotification chargingStation.firmwareVersion; default 1.0.0. An UpdateFirmware
                             downloads the file, "installs" it and reboots with the version the file names in a
                             first line "ocppkit-firmware <version>" (else sim-<sha256>); the store keeps it
  --firmware-root <pem file> ManufacturerRootCertificate(s) a firmware signing certificate must be issued by; with
                             it, unsigned firmware is refused (L01)
  --power <watts>            what a charging EV draws; default 11000
  --set <Component.Variable=value>
                             an initial device-model value (repeatable), e.g. --set OCPPCommCtrlr.HeartbeatInterval=60;
                             SecurityCtrlr.OrganizationName is ocppkit unless set
  --connect-timeout <s>      give up when no connection was made within this time; 0: keep trying; default 30
${UI_HELP}

Commands (stdin or --script; "#" starts a comment):
  plug <evse>  unplug <evse>  auth <idToken> [<evse>]  fault <evse>  clear <evse>  status  sleep <seconds>  help  quit

SIGTERM, SIGINT (Ctrl-C) and "quit" stop the station cleanly: queued messages stay in the store for the next start.
Exit codes: 0 stopped, 1 could not run (CSMS unreachable or refusing, store unusable), 2 wrong flags or script.`;

/** Which flag an option of ChargingStation comes from, to name it in an error. */
const FLAG_OF: Record<string, string> = {
  identity: '--id',
  'csms.url': '--csms',
  'csms.securityProfile': '--security-profile',
  'csms.password': '--password',
  'csms.tls': '--ca/--cert/--key',
  'networkProfiles[0].url': '--csms',
  'networkProfiles[0].tls': '--ca/--cert/--key',
  'networkProfiles[1].url': '--enroll',
  'networkProfiles[1].password': '--password',
  versions: '--ocpp',
  'info.model': '--model',
  'info.vendorName': '--vendor',
  'info.serialNumber': '--serial',
  'info.firmwareVersion': '--firmware-version',
};

/** Turns the flags into the run's options; throws a UsageError naming the flag. */
export function stationOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Omit<StationRunOptions, 'log' | 'out'> & {
  script?: { path: string; commands: StationCommand[] };
  ui?: UiFlag;
} {
  const f = parseFlags(argv, STATION_FLAGS);
  const identity = required(f.id, 'id');
  const csmsUrl = required(f.csms, 'csms');
  const evses = intFlag(f.evses, 'evses', 1, 64) ?? 1;
  const profile = intFlag(f['security-profile'], 'security-profile', 1, 3) as 1 | 2 | 3 | undefined;
  const password = f.password ?? env.OCPPKIT_PASSWORD;
  const ca = pemFile(f.ca, 'ca');
  const cert = pemFile(f.cert, 'cert');
  const key = pemFile(f.key, 'key');
  const firmwareRoot = pemFile(f['firmware-root'], 'firmware-root');
  if ((cert === undefined) !== (key === undefined))
    throw new UsageError('--cert and --key go together (the station certificate and its private key)');
  if (f.enroll !== undefined && (profile !== 3 || cert !== undefined))
    throw new UsageError('--enroll is for --security-profile 3 without --cert and --key');
  if (f.enroll !== undefined && password === undefined)
    throw new UsageError('--enroll needs --password (the enrollment endpoint is security profile 2)');
  const power = f.power === undefined ? 11000 : Number(f.power);
  if (!Number.isFinite(power) || power <= 0 || power > 1_000_000)
    throw new UsageError(`--power must be a number of watts above 0 (at most 1000000), got ${JSON.stringify(f.power)}`);
  // The device model requires a value for SecurityCtrlr.OrganizationName; --set overrides it.
  const variables: Record<string, string> = { 'SecurityCtrlr.OrganizationName': 'ocppkit' };
  for (const item of f.set ?? []) {
    // 1.6 configuration keys have no component (ChargingStation checks the name against the version).
    const m = /^([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_()/.-]+)?)=(.*)$/.exec(item);
    if (!m)
      throw new UsageError(`--set must be Component.Variable=value (1.6: Key=value), got ${JSON.stringify(item)}`);
    variables[m[1]!] = m[2]!;
  }
  const ui = uiFlag(f);
  const dbEngine = f['db-engine'];
  if (dbEngine !== undefined && dbEngine !== 'better-sqlite3' && dbEngine !== 'node:sqlite')
    throw new UsageError(`--db-engine must be better-sqlite3 or node:sqlite, got ${JSON.stringify(dbEngine)}`);
  let script: { path: string; commands: StationCommand[] } | undefined;
  if (f.script !== undefined) {
    let text: string;
    try {
      text = readFileSync(f.script, 'utf8');
    } catch (e) {
      throw new UsageError(`--script: cannot read ${f.script}: ${codeOrMessage(e)}`);
    }
    try {
      script = { path: f.script, commands: parseScript(text, evses, f.script) };
    } catch (e) {
      throw new UsageError(`--script ${messageOf(e)}`);
    }
  }
  return {
    identity,
    csmsUrl,
    versions: parseVersions(f.ocpp ?? '2.0.1'),
    dbPath: f.db ?? `${identity.replace(/[^A-Za-z0-9._-]/g, '_')}.db`,
    ...(dbEngine !== undefined ? { dbEngine } : {}),
    evses,
    powerW: power,
    info: {
      model: f.model ?? 'ocppkit-sim',
      vendorName: f.vendor ?? 'ocppkit',
      ...(f.serial !== undefined ? { serialNumber: f.serial } : {}),
      firmwareVersion: f['firmware-version'] ?? '1.0.0',
    },
    ...(profile !== undefined ? { securityProfile: profile } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(f.enroll !== undefined ? { enrollUrl: f.enroll } : {}),
    ...(ca || cert ? { tls: { ...(ca ? { ca } : {}), ...(cert ? { cert, key: key! } : {}) } } : {}),
    variables,
    ...(f.trace !== undefined ? { tracePath: f.trace } : {}),
    ...(firmwareRoot !== undefined ? { firmwareRoots: [firmwareRoot] } : {}),
    connectTimeoutSec: secondsFlag(f['connect-timeout'], 'connect-timeout') ?? 30,
    ...(script ? { script } : {}),
    ...(ui ? { ui } : {}),
  };
}

/** Runs `ocppkit station`; resolves with the exit code. */
export async function stationCommand(argv: readonly string[]): Promise<number> {
  const { script, ui, ...options } = stationOptions(argv, process.env);
  const terminal = streamLog();
  // --ui: the web view sees the station's frames and the warnings of the commands it sends.
  const web = ui ? stationWebView(terminal) : undefined;
  const log = web?.log ?? terminal;
  let run: StationRun;
  try {
    run = new StationRun({ ...options, log, out: process.stdout, ...(web ? { extraTrace: web.trace } : {}) });
  } catch (e) {
    if (e instanceof StationOptionsError) {
      const flag =
        FLAG_OF[e.field] ??
        (e.field.startsWith('variables.') ? `--set ${e.field.slice('variables.'.length)}` : `option ${e.field}`);
      throw new UsageError(`${flag}: ${e.problem}`);
    }
    // A missing SQLite engine is not a wrong flag: exit 1 with the one line that says what to install.
    if (e instanceof StoreError && e.code === 'DRIVER_MISSING') throw new CannotRunError(e.message, { cause: e });
    if (e instanceof StoreError) throw new UsageError(`--db: ${e.message}`, { cause: e });
    if (e instanceof DeviceModelConfigError) throw new UsageError(`--set: the ${e.message}`, { cause: e });
    throw e;
  }

  // Commands run one after the other, whether they come from the script, stdin or the web view.
  let chain = Promise.resolve();
  const serialize = (task: () => Promise<void>) =>
    (chain = chain.then(task).catch((e: unknown) => log.error(messageOf(e))));
  const enqueue = (command: StationCommand) => void serialize(() => run.run(command));
  const view = ui && web ? await startWebView(web.source(run, serialize), ui, log) : undefined;
  if (ui && !view) {
    await run.stop();
    return 1;
  }
  const stop = () => void run.stop();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  const input = createInterface({ input: process.stdin, terminal: false });
  input.on('line', (line) => {
    try {
      const command = parseCommand(line, options.evses);
      if (command) enqueue(command);
    } catch (e) {
      if (e instanceof CommandError) log.error(`${e.message} (type "help" for the commands)`);
      else throw e;
    }
  });
  input.on('close', () => {
    if (!run.stopping) log.info('stdin closed: the station keeps running (SIGTERM or Ctrl-C stops it)');
  });
  if (process.stdin.isTTY) log.info('type "help" for the commands');

  if (script) {
    void run.accepted.then(() => {
      log.info(`running ${script.path} (${script.commands.length} commands)`);
      for (const c of script.commands) enqueue(c);
      chain = chain.then(() => void (run.stopping || log.info(`${script.path} done`)));
    });
  }
  await run.start();
  const outcome = await run.finished;
  await view?.close();
  input.close();
  process.off('SIGTERM', stop);
  process.off('SIGINT', stop);
  return outcome.code;
}
