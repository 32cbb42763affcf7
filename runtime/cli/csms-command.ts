// `ocppkit csms`: the built-in CSMS for trying ocppkit out and for testing stations. It accepts every boot (or
// what --boot says), authorizes every idToken but the deny list, logs every message, and sends CSMS-initiated
// CALLs typed at its prompt.
import { createInterface } from 'node:readline';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { serveFiles, type FileServerInfo } from './csms-files.js';
import { RegistrationStatusEnumType } from '../../generated/v201/enums.js';
import { SimpleCsms, type CsmsVersion, type SimpleCsmsOptions } from '../csms/simple-csms.js';
import { jsonLinesTrace, type JsonLinesTrace, type TraceSink } from '../rpc/trace.js';
import { commaList, intFlag, parseFlags, parseVersions, pemFile, UsageError, type FlagSpecs } from './args.js';
import { logCsms } from './csms-log.js';
import { parsePromptLine, PromptError, runPromptLine } from './csms-prompt.js';
import { streamLog } from './output.js';
import { messageOf, codeOrMessage } from '../error-text.js';
import { csmsPki } from '../csms/pki-folder.js';
import { enrollmentCsms } from '../csms/enrollment.js';
import { startWebView, uiFlag, UI_FLAGS, UI_HELP, type UiFlag } from '../ui/cli-flags.js';
import { csmsWebView } from '../ui/csms-source.js';

export const CSMS_FLAGS = {
  port: { value: true },
  host: { value: true },
  deny: { value: true, multiple: true },
  ocpp: { value: true },
  boot: { value: true },
  'heartbeat-interval': { value: true },
  'security-profile': { value: true },
  password: { value: true },
  cert: { value: true },
  key: { value: true },
  ca: { value: true },
  pki: { value: true },
  'enroll-port': { value: true },
  trace: { value: true },
  files: { value: true },
  'files-port': { value: true },
  ...UI_FLAGS,
} as const satisfies FlagSpecs;

/** Where `--security-profile 3` without certificates keeps the CA and server certificate it makes. */
export const DEFAULT_PKI_FOLDER = 'ocppkit-pki';

export const CSMS_HELP = `Usage: ocppkit csms [--port <port>] [flags]

The built-in CSMS (OCPP 2.0.1, 2.1 and 1.6J): accepts every BootNotification, authorizes every idToken except the deny
list, answers every other station message with a valid default, logs every message, and sends the CSMS-initiated
CALLs typed at its prompt (stdin): <station id> <Action> <json payload>, checked against the schema first.

Flags:
  --port <port>              TCP port; default 9000 (0: any free port; the URL is printed)
  --host <address>           address to listen on; default 127.0.0.1
  --deny <idToken,…>         idTokens answered Invalid (Authorize, TransactionEvent); repeatable
  --ocpp <versions>          versions served, most preferred first; default 2.1,2.0.1,1.6
  --boot <status>            the answer to every BootNotification: Accepted (default), Pending or Rejected
  --heartbeat-interval <s>   BootNotificationResponse.interval; default 300
  --security-profile <n>     1: ws:// + password; 2: wss:// + password; 3: wss:// + client certificates
  --password <p>             the Basic-auth password every station must give (profiles 1 and 2); or set
                             OCPPKIT_CSMS_PASSWORD
  --cert <pem file>          the CSMS certificate (wss://, profiles 2 and 3)
  --key <pem file>           its private key
  --ca <pem file>            profile 3: the CA that issues station certificates
  --pki <folder>             profile 3 without --cert/--key/--ca: the folder where the CSMS makes (first run) or
                             finds its CA and server certificate; default ${DEFAULT_PKI_FOLDER}. Its CA signs the
                             stations' CSRs (SignCertificate → CertificateSigned); stations trust <folder>/ca.pem
  --enroll-port <port>       profile 3 with --pki and --password: a second, profile-2 endpoint (wss:// + password)
                             where a station without a certificate gets its first one, then is reset to come back
                             with profile 3; default --port + 1
  --trace <file>             append every OCPP-J frame as a JSON line (secrets masked)
  --files <dir>              also serve <dir> over HTTP (firmware for UpdateFirmware) and take uploads (GetLog)
                             into <dir>/uploads/; the URL is printed
  --files-port <port>        the file server's port; default 0 (any free port)
${UI_HELP}

Prompt:
  <station id> <Action> <json payload>   e.g. CS-1 Reset {"type":"Immediate"}
  stations   help   quit

SIGTERM, SIGINT and "quit" stop it. Exit codes: 0 stopped, 1 could not listen, 2 wrong flags.`;

const BOOT_STATUSES: readonly RegistrationStatusEnumType[] = RegistrationStatusEnumType;

export function csmsOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): {
  port: number;
  host: string;
  tracePath?: string;
  files?: { dir: string; port: number };
  pki?: string;
  enrollPort?: number;
  ui?: UiFlag;
  csms: SimpleCsmsOptions;
} {
  const f = parseFlags(argv, CSMS_FLAGS);
  const versions = parseVersions(f.ocpp ?? '2.1,2.0.1,1.6');
  const boot = f.boot ?? 'Accepted';
  // Checked here against the generated list; the cast only lets includes() accept any string.
  if (!BOOT_STATUSES.includes(boot as RegistrationStatusEnumType))
    throw new UsageError(`--boot must be ${BOOT_STATUSES.join(', ')}, got ${JSON.stringify(boot)}`);
  const profile = intFlag(f['security-profile'], 'security-profile', 1, 3) as 1 | 2 | 3 | undefined;
  const password = f.password ?? env.OCPPKIT_CSMS_PASSWORD;
  const cert = pemFile(f.cert, 'cert');
  const key = pemFile(f.key, 'key');
  const ca = pemFile(f.ca, 'ca');
  // Profile 3 with nothing given: the CSMS makes its own CA and server certificate (issue 13).
  const pki =
    profile === 3 && cert === undefined && key === undefined && ca === undefined
      ? (f.pki ?? DEFAULT_PKI_FOLDER)
      : undefined;
  if (f.pki !== undefined && pki === undefined)
    throw new UsageError('--pki is for --security-profile 3 without --cert, --key and --ca');
  if ((cert === undefined) !== (key === undefined))
    throw new UsageError('--cert and --key go together (the CSMS certificate and its private key)');
  if ((profile === 1 || profile === 2) && password === undefined)
    throw new UsageError(`--security-profile ${profile} needs --password (the Basic-auth password stations must give)`);
  if ((profile === 2 || (profile === 3 && pki === undefined)) && cert === undefined)
    throw new UsageError(`--security-profile ${profile} needs --cert and --key (TLS)`);
  if (profile === 3 && ca === undefined && pki === undefined)
    throw new UsageError('--security-profile 3 needs --ca (the CA that issues station certificates)');
  if (profile === 1 && cert !== undefined)
    throw new UsageError('--security-profile 1 is plain ws://: leave out --cert and --key');
  const interval = intFlag(f['heartbeat-interval'], 'heartbeat-interval', 0, 86_400);
  const port = intFlag(f.port, 'port', 0, 65_535) ?? 9000;
  const ui = uiFlag(f);
  const enrollFlag = intFlag(f['enroll-port'], 'enroll-port', 0, 65_535);
  if (enrollFlag !== undefined && (pki === undefined || password === undefined))
    throw new UsageError('--enroll-port needs --security-profile 3 with --pki (or no certificates) and --password');
  const enrollPort =
    pki !== undefined && password !== undefined ? (enrollFlag ?? (port === 0 ? 0 : port + 1)) : undefined;
  return {
    port,
    ...(pki !== undefined ? { pki } : {}),
    ...(enrollPort !== undefined ? { enrollPort } : {}),
    host: f.host ?? '127.0.0.1',
    ...(ui ? { ui } : {}),
    ...(f.trace !== undefined ? { tracePath: f.trace } : {}),
    ...(f.files !== undefined
      ? { files: { dir: filesDir(f.files), port: intFlag(f['files-port'], 'files-port', 0, 65_535) ?? 0 } }
      : {}),
    csms: {
      // parseVersions returned only names of served versions.
      versions: versions as CsmsVersion[],
      // Checked above against the generated list of RegistrationStatusEnumType.
      bootStatus: boot as RegistrationStatusEnumType,
      ...(interval !== undefined ? { heartbeatInterval: interval } : {}),
      denyTokens: (f.deny ?? []).flatMap((d) => commaList(d)),
      ...(profile !== undefined ? { securityProfile: profile } : {}),
      ...(password !== undefined ? { password } : {}),
      ...(cert ? { tls: { cert, key: key!, ...(ca ? { ca } : {}) } } : {}),
    },
  };
}

/** --files: an existing directory. */
function filesDir(dir: string): string {
  try {
    if (statSync(dir).isDirectory()) return dir;
  } catch {
    // reported below
  }
  throw new UsageError(`--files: ${JSON.stringify(dir)} is not a directory`);
}

/** Runs `ocppkit csms`; resolves with the exit code. */
export async function csmsCommand(argv: readonly string[]): Promise<number> {
  const { port, host, tracePath, files, pki: pkiFolder, enrollPort, ui, csms: given } = csmsOptions(argv, process.env);
  const log = streamLog();
  let options = given;
  if (pkiFolder !== undefined) {
    let pki;
    try {
      pki = await csmsPki(pkiFolder, host);
    } catch (e) {
      log.error(`--pki ${pkiFolder}: ${codeOrMessage(e)}`);
      return 1;
    }
    log.info(
      `${pki.created ? 'made' : 'using'} the CSMS's CA and server certificate in ${pki.folder}; stations trust ${join(pki.folder, 'ca.pem')}`,
    );
    options = { ...options, tls: { cert: pki.cert, key: pki.key, ca: pki.caPem }, ca: pki.ca };
  }
  const trace: JsonLinesTrace | undefined = tracePath ? jsonLinesTrace(tracePath) : undefined;
  // --ui: the web view sees every frame of the main endpoint, next to the --trace file.
  const web = ui ? csmsWebView(log) : undefined;
  const sink: TraceSink | undefined =
    trace && web ? (entry) => (trace(entry), web.trace(entry)) : (trace ?? web?.trace);
  let csms: SimpleCsms;
  let enrollment: SimpleCsms | undefined;
  try {
    csms = new SimpleCsms({ ...options, ...(sink ? { trace: sink } : {}) });
    if (enrollPort !== undefined) enrollment = enrollmentCsms(options, trace);
  } catch (e) {
    throw new UsageError(messageOf(e));
  }
  logCsms(csms, log);
  try {
    const address = await csms.listen(port, host);
    log.info(
      `CSMS listening on ${csms.url(address)} (${options.versions!.join(', ')}); stations connect to ${csms.url(address)}/<station id>`,
    );
    if (isLoopback(address.address))
      log.info(
        'only this machine can connect (loopback); from other hosts or containers, stations are refused: --host 0.0.0.0 accepts them',
      );
    if (enrollment) {
      logCsms(enrollment, {
        info: (t) => log.info(`enrollment: ${t}`),
        warn: (t) => log.warn(`enrollment: ${t}`),
        error: (t) => log.error(`enrollment: ${t}`),
      });
      const at = await enrollment.listen(enrollPort, host);
      log.info(
        `enrollment (security profile 2, password) on ${enrollment.url(at)}: a station without a certificate gets one there, then comes back with profile 3`,
      );
    }
  } catch (e) {
    log.error(`cannot listen on ${host}: ${codeOrMessage(e)}`);
    await csms.close();
    await enrollment?.close();
    await trace?.close();
    return 1;
  }
  let fileServer: FileServerInfo | undefined;
  if (files) {
    try {
      fileServer = await serveFiles(files.dir, host, files.port, (line) => log.info(line));
      log.info(
        `files of ${files.dir} served at ${fileServer.url}/<name> (UpdateFirmware location); uploads to ${fileServer.url}/upload/ go to ${join(files.dir, 'uploads')} (GetLog remoteLocation)`,
      );
    } catch (e) {
      log.error(`cannot serve files on ${host}:${files.port}: ${codeOrMessage(e)}`);
      await csms.close();
      await enrollment?.close();
      await trace?.close();
      return 1;
    }
  }
  const view = ui && web ? await startWebView(web.source(csms), ui, log) : undefined;
  if (ui && !view) {
    await csms.close();
    await fileServer?.close();
    await enrollment?.close();
    await trace?.close();
    return 1;
  }
  if (options.denyTokens && [...options.denyTokens].length)
    log.info(`idTokens answered Invalid: ${[...options.denyTokens].join(', ')}`);

  let stopping: Promise<void> | undefined;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const stop = () => {
    stopping ??= (async () => {
      log.info('stopping');
      await view?.close();
      await csms.close();
      await fileServer?.close();
      await enrollment?.close();
      await trace?.close();
      log.info('stopped');
      done();
    })();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  // Prompt lines run one after the other, so that answers come out in the order they were asked for.
  let chain = Promise.resolve();
  const input = createInterface({ input: process.stdin, terminal: false });
  input.on('line', (text) => {
    let line;
    try {
      line = parsePromptLine(text);
    } catch (e) {
      if (e instanceof PromptError) return log.error(e.message);
      throw e;
    }
    if (line) chain = chain.then(() => runPromptLine(csms, log, process.stdout, line, stop));
  });
  input.on('close', () => {
    if (!stopping) log.info('stdin closed: the CSMS keeps running (SIGTERM or Ctrl-C stops it)');
  });
  await finished;
  input.close();
  process.off('SIGTERM', stop);
  process.off('SIGINT', stop);
  return 0;
}

/** 127.0.0.0/8 and ::1: addresses no other host can reach. */
function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
