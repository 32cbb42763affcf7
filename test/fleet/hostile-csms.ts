// CSMSs that misbehave, for the fleet's failure tests: a front on 127.0.0.1 that refuses some identities' WebSocket
// upgrades with an HTTP status and passes the others through to a real CSMS (optionally dropping each connection
// after a while), and a CSMS that accepts connections and never answers.
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { WebSocketServer } from 'ws';

export interface Front {
  url: string;
  close(): Promise<void>;
}

/**
 * Refuses the identities `refuse` maps to an HTTP status before the upgrade; passes the others' bytes through to
 * `target` (host:port of a real CSMS). With `dropAfterMs`, every passed connection is cut after that long.
 */
export async function front(
  targetPort: number,
  options: { refuse?: (identity: string) => number | undefined; dropAfterMs?: number },
): Promise<Front> {
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const identity = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
    const status = options.refuse?.(identity);
    if (status !== undefined) {
      socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    sockets.add(upstream);
    upstream.on('close', () => (sockets.delete(upstream), socket.destroy()));
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
    if (options.dropAfterMs !== undefined)
      setTimeout(() => (socket.destroy(), upstream.destroy()), options.dropAfterMs).unref();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Accepts ocpp2.0.1 WebSocket connections and never answers a CALL; counts the CALLs it got. */
export async function stallingCsms(): Promise<Front & { calls: () => number }> {
  let calls = 0;
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => (protocols.has('ocpp2.0.1') ? 'ocpp2.0.1' : false),
  });
  wss.on('connection', (ws) => ws.on('message', () => calls++));
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    calls: () => calls,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
