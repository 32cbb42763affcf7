#!/usr/bin/env node
// The `ocppkit` command: dispatches to the command modules. Exit codes: 0 done, 1 could not run, 2 wrong usage.
import { readFileSync } from 'node:fs';
import { CannotRunError, UsageError, wantsHelp } from './args.js';

const HELP = `Usage: ocppkit <command> [flags]

Commands:
  station   a simulated charging station (OCPP 2.0.1 / 2.1) driven by stdin or a script
  csms      the built-in CSMS: accepts stations, logs every message, sends the CALLs typed at its prompt
  demo      the built-in CSMS and one station run a complete charging session; prints the message sequence
  fleet     load-tests a CSMS with many simulated stations running charging sessions; reports response times

"ocppkit <command> --help" lists the command's flags. "ocppkit --version" prints the version.`;

interface Command {
  help: string;
  run(argv: string[]): Promise<number>;
}

// Loaded on use: a command pulls in the runtime it needs (validators, SQLite), a mistyped one nothing.
const COMMANDS: Record<string, () => Promise<Command>> = {
  station: async () => {
    const m = await import('./station-command.js');
    return { help: m.STATION_HELP, run: m.stationCommand };
  },
  csms: async () => {
    const m = await import('./csms-command.js');
    return { help: m.CSMS_HELP, run: m.csmsCommand };
  },
  demo: async () => {
    const m = await import('./demo.js');
    return { help: m.DEMO_HELP, run: m.demoCommand };
  },
  fleet: async () => {
    const m = await import('./fleet-command.js');
    return { help: m.FLEET_HELP, run: m.fleetCommand };
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic =
      name === 'help' && rest[0] && Object.hasOwn(COMMANDS, rest[0]) ? await COMMANDS[rest[0]]!() : undefined;
    process.stdout.write(`${topic?.help ?? HELP}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`ocppkit ${packageVersion()}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? await COMMANDS[name]!() : undefined;
  if (!command) {
    process.stderr.write(
      `ocppkit: unknown command ${JSON.stringify(name)} (commands: ${Object.keys(COMMANDS).join(', ')}; see ocppkit --help)\n`,
    );
    return 2;
  }
  if (wantsHelp(rest)) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`ocppkit ${name}: ${e.message}\n(see ocppkit ${name} --help)\n`);
      return 2;
    }
    if (e instanceof CannotRunError) {
      process.stderr.write(`ocppkit ${name}: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`ocppkit ${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

/** From the package.json two levels up (sources: runtime/cli/) or three (built: dist/runtime/cli/). */
function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      // Our own package.json.
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ocppkit' && pkg.version) return pkg.version;
    } catch {
      /* not there: try the next */
    }
  }
  return 'unknown';
}

// Exit explicitly: stdin may still be open (readline), and nothing else is left to do once a command returned.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`ocppkit: ${String(e)}\n`);
    process.exit(1);
  },
);
