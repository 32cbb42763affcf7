// Type tests of the RPC API (checked by `tsc --noEmit`, never executed): wrong action names and payloads do not
// compile, responses are inferred, and a multi-version session narrows on `protocol` without casts.
// Every @ts-expect-error below must stay an error: tsc fails when one stops being one.
import { CsmsServer, StationClient } from '../../runtime/rpc/index.js';
import { protocol as v16 } from '../../generated/v16/index.js';
import { protocol as v201 } from '../../generated/v201/index.js';
import { protocol as v21 } from '../../generated/v21/index.js';
import type { BootNotificationResponse } from '../../generated/v201/index.js';

export async function stationTypes(): Promise<void> {
  const client = new StationClient({ url: 'ws://x/ocpp', identity: 'T', protocols: [v201] });
  const s = await client.connect();

  const boot = await s.call('BootNotification', {
    reason: 'PowerUp',
    chargingStation: { model: 'M', vendorName: 'V' },
  });
  const typed: BootNotificationResponse = boot;
  const status: 'Accepted' | 'Pending' | 'Rejected' = boot.status;
  // @ts-expect-error not a field of the response
  void boot.heartbeatInterval;
  // @ts-expect-error unknown action
  await s.call('BootNotifcation', {});
  // @ts-expect-error payload missing a required field
  await s.call('BootNotification', { reason: 'PowerUp' });
  // @ts-expect-error enum value that does not exist
  await s.call('BootNotification', { reason: 'Boom', chargingStation: { model: 'M', vendorName: 'V' } });
  // @ts-expect-error a station never sends Reset
  await s.call('Reset', { type: 'Immediate' });
  await s.call('Heartbeat', {}, { timeoutMs: 5000 });

  s.handle('Reset', (req) => ({ status: req.type === 'Immediate' ? 'Accepted' : 'Scheduled' }));
  // @ts-expect-error wrong response shape
  s.handle('Reset', () => ({ status: 'Maybe' }));
  // @ts-expect-error a station never receives BootNotification
  s.handle('BootNotification', () => ({ currentTime: '', interval: 1, status: 'Accepted' }));
  s.handle('GetVariables', async (req, ctx) => {
    const id: string = ctx.messageId;
    void id;
    return { getVariableResult: req.getVariableData.map((d) => ({ ...d, attributeStatus: 'Accepted' as const })) };
  });
  s.after('Reset', (req, res) => {
    const t: 'Immediate' | 'OnIdle' = req.type;
    const st: 'Accepted' | 'Rejected' | 'Scheduled' = res.status;
    (void t, st);
  });
  (void typed, status);
}

export async function sendTypes(): Promise<void> {
  const client = new StationClient({ url: 'ws://x/ocpp', identity: 'T', protocols: [v21] });
  const s = await client.connect();
  await s.send('NotifyPeriodicEventStream', { id: 1, pending: 0, basetime: '', data: [{ t: 0, v: '1' }] });
  // @ts-expect-error a SEND message is not a CALL
  await s.call('NotifyPeriodicEventStream', { id: 1, pending: 0, basetime: '', data: [] });
  // @ts-expect-error a CALL is not a SEND message
  await s.send('Heartbeat', {});
}

export async function unionTypes(): Promise<void> {
  const client = new StationClient({ url: 'ws://x/ocpp', identity: 'T', protocols: [v21, v16] });
  const s = await client.connect();
  // @ts-expect-error not narrowed: the payload differs between the versions
  await s.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  if (s.protocol === 'ocpp1.6') {
    const r = await s.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    const interval: number = r.interval;
    void interval;
    // @ts-expect-error 1.6 has no SEND messages
    await s.send('NotifyPeriodicEventStream', { id: 1, pending: 0, basetime: '', data: [] });
  } else {
    const p: 'ocpp2.1' = s.protocol;
    await s.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
    void p;
  }
  // Handlers of each offered version, registered before connecting.
  client.session('ocpp1.6').handle('ChangeConfiguration', (req) => ({ status: req.key ? 'Accepted' : 'Rejected' }));
  // @ts-expect-error not an offered version
  client.session('ocpp2.0.1');
}

export async function csmsTypes(): Promise<void> {
  const server = new CsmsServer({ protocols: [v201, v16], authenticate: () => ({ data: { tenant: 'a' } }) });
  server.handlers('ocpp1.6').handle('BootNotification', (req, ctx) => {
    const vendor: string = req.chargePointVendor;
    const tenant: string = ctx.session.data.tenant;
    (void vendor, tenant);
    return { status: 'Accepted', currentTime: '', interval: 60 };
  });
  // @ts-expect-error a CSMS never receives Reset
  server.handlers('ocpp2.0.1').handle('Reset', () => ({ status: 'Accepted' }));
  // @ts-expect-error not a served version
  server.handlers('ocpp2.1');
  server.on('station', async (session) => {
    if (session.protocol === 'ocpp2.0.1') {
      const r = await session.call('Reset', { type: 'OnIdle' });
      const st: 'Accepted' | 'Rejected' | 'Scheduled' = r.status;
      void st;
      // @ts-expect-error a CSMS never sends BootNotification
      await session.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
    } else {
      await session.call('ChangeConfiguration', { key: 'HeartbeatInterval', value: '30' });
    }
  });
}

// Issue 19: a CSMS serving several versions without loops or casts: one handler for every version (its call
// narrows on `protocol`), a catch-all, per-version station listeners, and `session.is()` as the narrowing guard.
export async function csmsEveryVersionTypes(): Promise<void> {
  const server = new CsmsServer({ protocols: [v201, v21] });
  server.handle('BootNotification', (call) => {
    const reason: string = call.request.reason;
    void reason;
    if (call.protocol === 'ocpp2.1') {
      // The 2.1 session: calling a 2.1-only action compiles without a cast.
      void call.session.call('GetPeriodicEventStream', {});
    }
    return { currentTime: '', interval: 300, status: 'Accepted' };
  });
  // @ts-expect-error a CSMS never receives Reset, in any served version
  server.handle('Reset', () => ({ status: 'Accepted' }));
  // @ts-expect-error the response must be one of the versions' BootNotificationResponse
  server.handle('BootNotification', () => ({ status: 'Maybe' }));
  // A 1.6-only action is not served here.
  // @ts-expect-error no served version has StartTransaction
  server.handle('StartTransaction', () => ({ transactionId: 1, idTagInfo: { status: 'Accepted' } }));
  server.handleOther((call) => {
    const action: string = call.action;
    return action === 'DataTransfer' ? { status: 'UnknownVendorId' } : {};
  });
  server.onStation('ocpp2.0.1', async (session) => {
    const r = await session.call('Reset', { type: 'OnIdle' });
    void r.status;
  });
  // @ts-expect-error not a served version
  server.onStation('ocpp1.6', () => {});
  server.on('station', async (session) => {
    // @ts-expect-error TS2349: a session of two versions must be narrowed before calling
    await session.call('Reset', { type: 'OnIdle' });
    if (session.is('ocpp2.1')) await session.call('GetPeriodicEventStream', {});
    else await session.call('Reset', { type: 'OnIdle' });
  });
}
