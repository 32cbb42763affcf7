// `ocppkit csms`: the built-in CSMS for trying ocppkit out and for testing stations. It accepts every boot (or
// what --boot says), authorizes every idToken but the deny list, logs every message, and sends CSMS-initiated
// CALLs typed at its prompt.
import { createInterface } from 'node:readline';
import { RegistrationStatusEnumType } from '../../generated/v201/enums.js';
import { SimpleCsms, type CsmsVersion, type SimpleCsmsOptions } from '../csms/simple-csms.js';
import { jsonLinesTrace, type JsonLinesTrace } from '../rpc/trace.js';
import { commaList, intFlag, parseFlags, parseVersions, pemFile, UsageError, type FlagSpecs } from './args.js';
import { logCsms } from './csms-log.js';
import { parsePromptLine, PromptError, runPromptLine } from './csms-prompt.js';
import { streamLog } from './output.js';
import { messageOf, codeOrMessage } from '../error-text.js';

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
  trace: { value: true },
} as const satisfies FlagSpecs;

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
  --trace <file>             append every OCPP-J frame as a JSON line (secrets masked)

Prompt:
  <station id> <Action> <json payload>   e.g. CS-1 Reset {"type":"Immediate"}
  stations   help   quit

SIGTERM, SIGINT and "quit" stop it. Exit codes: 0 stopped, 1 could not listen, 2 wrong flags.`;

const BOOT_STATUSES: readonly RegistrationStatusEnumType[] = RegistrationStatusEnumType;

export function csmsOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): { port: number; host: string; tracePath?: string; csms: SimpleCsmsOptions } {
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
  if ((cert === undefined) !== (key === undefined))
    throw new UsageError('--cert and --key go together (the CSMS certificate and its private key)');
  if ((profile === 1 || profile === 2) && password === undefined)
    throw new UsageError(`--security-profile ${profile} needs --password (the Basic-auth password stations must give)`);
  if ((profile === 2 || profile === 3) && cert === undefined)
    throw new UsageError(`--security-profile ${profile} needs --cert and --key (TLS)`);
  if (profile === 3 && ca === undefined)
    throw new UsageError('--security-profile 3 needs --ca (the CA that issues station certificates)');
  if (profile === 1 && cert !== undefined)
    throw new UsageError('--security-profile 1 is plain ws://: leave out --cert and --key');
  const interval = intFlag(f['heartbeat-interval'], 'heartbeat-interval', 0, 86_400);
  return {
    port: intFlag(f.port, 'port', 0, 65_535) ?? 9000,
    host: f.host ?? '127.0.0.1',
    ...(f.trace !== undefined ? { tracePath: f.trace } : {}),
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

/** Runs `ocppkit csms`; resolves with the exit code. */
export async function csmsCommand(argv: readonly string[]): Promise<number> {
  const { port, host, tracePath, csms: options } = csmsOptions(argv, process.env);
  const log = streamLog();
  const trace: JsonLinesTrace | undefined = tracePath ? jsonLinesTrace(tracePath) : undefined;
  let csms: SimpleCsms;
  try {
    csms = new SimpleCsms({ ...options, ...(trace ? { trace } : {}) });
  } catch (e) {
    throw new UsageError(messageOf(e));
  }
  logCsms(csms, log);
  try {
    const address = await csms.listen(port, host);
    log.info(
      `CSMS listening on ${csms.url(address)} (${options.versions!.join(', ')}); stations connect to ${csms.url(address)}/<station id>`,
    );
  } catch (e) {
    log.error(`cannot listen on ${host}:${port}: ${codeOrMessage(e)}`);
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
      await csms.close();
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
