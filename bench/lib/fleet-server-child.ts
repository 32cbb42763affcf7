// Child process of the station-fleet benchmark: the CSMS every client kind talks to, alone in its process, so that
// the client process's numbers are the clients' own. A bare `ws` server with OCPP-J framing that accepts every
// BootNotification (with the heartbeat interval the bench asks for) and answers the station's other CALLs with
// the smallest valid response: it costs the same whichever client kind is measured.
//   argv: host heartbeatSeconds
//   → { type: 'listening', port }   ← 'count' → { type: 'count', connected, boots, calls }
//   ← 'cpu' → { type: 'cpu', us } (this process's CPU time so far, user + system)   ← 'exit'
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

const [host = '127.0.0.1', heartbeatArg = '10'] = process.argv.slice(2);
const interval = Number(heartbeatArg);

/** StatusNotification, MeterValues, TransactionEvent, NotifyEvent …: their responses have no required field. */
function answer(action: string): unknown {
  const now = new Date().toISOString();
  if (action === 'BootNotification') return { currentTime: now, interval, status: 'Accepted' };
  if (action === 'Heartbeat') return { currentTime: now };
  if (action === 'Authorize') return { idTokenInfo: { status: 'Accepted' } };
  return {};
}

let boots = 0;
let calls = 0;
const http = createServer();
const wss = new WebSocketServer({
  server: http,
  perMessageDeflate: false,
  // Large enough that a burst of handshakes is not turned away by the kernel's accept queue.
  backlog: 4096,
  handleProtocols: (set) => (set.has('ocpp2.0.1') ? 'ocpp2.0.1' : set.has('ocpp1.6') ? 'ocpp1.6' : false),
} as ConstructorParameters<typeof WebSocketServer>[0]);
wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as unknown[];
    if (m[0] !== 2) return; // a CALLRESULT/CALLERROR to a CSMS call: this CSMS sends none
    calls++;
    if (m[2] === 'BootNotification') boots++;
    ws.send(JSON.stringify([3, m[1], answer(m[2] as string)]));
  });
});
await new Promise<void>((resolve) => http.listen({ port: 0, host, backlog: 4096 }, resolve));

process.on('message', (msg: string) => {
  if (msg === 'count') process.send!({ type: 'count', connected: wss.clients.size, boots, calls });
  if (msg === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send!({ type: 'cpu', us: user + system });
  }
  if (msg === 'exit') {
    for (const ws of wss.clients) ws.terminate();
    http.closeAllConnections();
    process.exit(0);
  }
});
process.send!({ type: 'listening', port: (http.address() as AddressInfo).port });
