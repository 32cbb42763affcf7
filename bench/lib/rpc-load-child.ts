// Child process of the RPC throughput and memory benchmarks: many raw WebSocket stations (ws, no OCPP library,
// so that the load generator costs the same whichever server is measured).
//   argv: port mode stations [action]
//   mode "load": every station keeps exactly one CALL in flight (sends the next as soon as the answer arrives).
//     → { type: 'connected' }  ← 'count' → { type: 'count', answers }  ← 'exit'
//   mode "idle": stations connect and stay silent.  → { type: 'connected' }  ← 'exit'
//   mode "boot": like idle, but each station first sends one BootNotification and waits for its answer.
import { WebSocket } from 'ws';
import { messages201 } from '../../test/support/realistic-messages.js';

const [portArg, mode, stationsArg, action = 'Heartbeat'] = process.argv.slice(2);
const port = Number(portArg);
const stations = Number(stationsArg);
const payload =
  action === 'Heartbeat' ? {} : messages201.find((m) => m.action === action && m.kind === 'request')!.payload;

let answers = 0;
const sockets: WebSocket[] = [];

function open(i: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ocpp/CS${i}`, ['ocpp2.0.1'], { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

// Connect in batches, so that the server is not hit by thousands of handshakes at once.
for (let i = 0; i < stations; i += 100) {
  const batch = await Promise.all(Array.from({ length: Math.min(100, stations - i) }, (_, j) => open(i + j)));
  sockets.push(...batch);
}

if (mode === 'boot') {
  const boot = messages201.find((m) => m.action === 'BootNotification' && m.kind === 'request')!.payload;
  for (let i = 0; i < sockets.length; i += 100) {
    await Promise.all(
      sockets.slice(i, i + 100).map(
        (ws, j) =>
          new Promise<void>((resolve) => {
            ws.once('message', () => resolve());
            ws.send(JSON.stringify([2, `boot-${i + j}`, 'BootNotification', boot]));
          }),
      ),
    );
  }
}

if (mode === 'load') {
  sockets.forEach((ws, i) => {
    let n = 0;
    const next = () => ws.send(JSON.stringify([2, `${i}-${++n}`, action, payload]));
    ws.on('message', () => {
      answers++;
      next();
    });
    next();
  });
}

process.on('message', (msg: string) => {
  if (msg === 'count') process.send!({ type: 'count', answers });
  if (msg === 'exit') {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
});
process.send!({ type: 'connected' });
