// The CSMS servers the RPC benchmarks compare, all answering the same 2.0.1 messages on 127.0.0.1:
//   bare-ws   ws with the same OCPP-J framing and nothing else (JSON.parse, JSON.stringify, no validation)
//   ocppkit   our CsmsServer (validation of requests and responses on, shared handlers); -novalidate: off
//   ocpp-rpc  ocpp-rpc 2.2.1 RPCServer, strict mode (validates requests and responses) or not
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';
import { WebSocketServer } from 'ws';
import { protocol as v201 } from '../../generated/v201/index.js';
import { CsmsServer } from '../../runtime/rpc/index.js';

export type ServerKind = 'bare-ws' | 'ocppkit' | 'ocppkit-novalidate' | 'ocpp-rpc' | 'ocpp-rpc-strict';

export const CURRENT_TIME = '2025-03-14T17:30:00.000Z';
const responses: Record<string, unknown> = {
  Heartbeat: { currentTime: CURRENT_TIME },
  TransactionEvent: { totalCost: 0 },
  BootNotification: { currentTime: CURRENT_TIME, interval: 300, status: 'Accepted' },
};

export interface RunningServer {
  port: number;
  /** Stations currently connected (as the server counts them). */
  stations(): number;
  close(): Promise<void>;
}

export async function startServer(kind: ServerKind): Promise<RunningServer> {
  if (kind === 'bare-ws') {
    const http = createServer();
    const wss = new WebSocketServer({
      server: http,
      perMessageDeflate: false,
      handleProtocols: (set) => (set.has('ocpp2.0.1') ? 'ocpp2.0.1' : false),
    });
    wss.on('connection', (ws) => {
      ws.on('message', (data) => {
        const m = JSON.parse(data.toString()) as unknown[];
        ws.send(JSON.stringify([3, m[1], responses[m[2] as string] ?? {}]));
      });
    });
    const port = await listen(http);
    return { port, stations: () => wss.clients.size, close: () => closeHttp(http, () => wss.close()) };
  }
  if (kind === 'ocppkit' || kind === 'ocppkit-novalidate') {
    const validate = kind === 'ocppkit';
    const server = new CsmsServer({
      protocols: [v201],
      path: '/ocpp',
      validateIncoming: validate,
      validateOutgoing: validate,
    });
    server
      .handlers('ocpp2.0.1')
      .handle('Heartbeat', () => ({ currentTime: CURRENT_TIME }))
      .handle('TransactionEvent', () => ({ totalCost: 0 }))
      .handle('BootNotification', () => ({ currentTime: CURRENT_TIME, interval: 300, status: 'Accepted' }));
    const { port } = await server.listen();
    return { port, stations: () => server.stationCount, close: () => server.close() };
  }
  const server = new RPCServer({ protocols: ['ocpp2.0.1'], strictMode: kind === 'ocpp-rpc-strict' });
  let count = 0;
  server.on('client', (client: { handle(m: string, f: () => unknown): void; once(e: string, f: () => void): void }) => {
    count++;
    client.once('close', () => count--);
    for (const [method, response] of Object.entries(responses)) client.handle(method, () => response);
  });
  const http = (await server.listen(0, '127.0.0.1')) as Server;
  return {
    port: (http.address() as AddressInfo).port,
    stations: () => count,
    close: () => server.close({ force: true }),
  };
}

function listen(http: Server): Promise<number> {
  return new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve((http.address() as AddressInfo).port)));
}

function closeHttp(http: Server, before: () => void): Promise<void> {
  before();
  http.closeAllConnections();
  return new Promise((resolve) => http.close(() => resolve()));
}
