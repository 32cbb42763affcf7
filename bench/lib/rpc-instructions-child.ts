// The server of rpc-instructions.ts (runs under valgrind, so it reports its port on stdout rather than over IPC).
import { startServer, type ServerKind } from './rpc-contenders.js';

const server = await startServer(process.argv[2] as ServerKind);
process.stdout.write(`PORT ${server.port}\n`);
process.on('SIGINT', () => process.exit(0));
