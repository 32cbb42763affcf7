// Part 6 TC_P_01_CS and the P requirements the station owns, over real sockets against the built-in CSMS: the
// integrator's DataTransfer handlers by vendorId and messageId (P01), and the station's DataTransfer to the CSMS (P02).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startPair } from '../support/station-harness.js';
import { handler, type DataTransferHandlers } from '../../runtime/station/P-data-transfer/data-transfer.js';

interface Ping {
  seq: number;
}
const isPing = (d: unknown): d is Ping =>
  d !== null && typeof d === 'object' && 'seq' in d && typeof d.seq === 'number';

const seen: unknown[] = [];
const HANDLERS: DataTransferHandlers = {
  'com.example.vendor': {
    messages: {
      Ping: handler(isPing, async (ping) => ({ status: 'Accepted', data: { seq: ping.seq + 1 } })),
      Refuse: () => ({ status: 'Rejected' }),
      Broken: () => {
        throw new Error('the vendor code failed');
      },
    },
  },
  'com.example.open': { any: (data, request) => (seen.push([request.messageId, data]), { status: 'Accepted' }) },
};

async function withPair(
  options: { handlers?: DataTransferHandlers },
  body: (p: Awaited<ReturnType<typeof startPair>>) => Promise<void>,
) {
  const p = await startPair({ station: options.handlers ? { dataTransfer: options.handlers } : {} });
  try {
    await p.waitFor('StatusNotification');
    await body(p);
  } finally {
    await p.close();
  }
}
const call = (p: Awaited<ReturnType<typeof startPair>>, payload: unknown) =>
  p.csms.call(p.identity, 'DataTransfer', payload) as Promise<any>;

test('TC_P_01_CS P01.FR.05 P01.FR.06 an unknown vendorId: UnknownVendorId; a known vendor with an unknown messageId: UnknownMessageId', async () => {
  await withPair({ handlers: HANDLERS }, async (p) => {
    assert.equal(await call(p, { vendorId: 'org.openchargealliance.octt', messageId: 'X' }), {
      status: 'UnknownVendorId',
    });
    assert.equal(await call(p, { vendorId: 'com.example.vendor', messageId: 'NoSuchMessage' }), {
      status: 'UnknownMessageId',
    });
    assert.equal(await call(p, { vendorId: 'com.example.vendor' }), { status: 'UnknownMessageId' });
  });
});

test('TC_P_01_CS P01.FR.05 without handlers every DataTransfer gets UnknownVendorId', async () => {
  await withPair({}, async (p) => {
    assert.equal(await call(p, { vendorId: 'com.example.vendor', messageId: 'Ping', data: { seq: 1 } }), {
      status: 'UnknownVendorId',
    });
  });
});

test('P01.FR.03 P01.FR.07 a typed handler answers its messageId with its status and data; data its check refuses is Rejected', async () => {
  await withPair({ handlers: HANDLERS }, async (p) => {
    assert.equal(await call(p, { vendorId: 'com.example.vendor', messageId: 'Ping', data: { seq: 41 } }), {
      status: 'Accepted',
      data: { seq: 42 },
    });
    assert.equal(await call(p, { vendorId: 'com.example.vendor', messageId: 'Refuse' }), { status: 'Rejected' });
    const bad = await call(p, { vendorId: 'com.example.vendor', messageId: 'Ping', data: 'not a ping' });
    assert.equal(bad, { status: 'Rejected', statusInfo: { reasonCode: 'InvalidValue' } });
  });
});

test("P01 a vendor's `any` handler answers every messageId (and none); a failing handler is answered Rejected", async () => {
  await withPair({ handlers: HANDLERS }, async (p) => {
    seen.length = 0;
    assert.equal(await call(p, { vendorId: 'com.example.open', messageId: 'Whatever', data: [1, 2] }), {
      status: 'Accepted',
    });
    assert.equal(await call(p, { vendorId: 'com.example.open', data: 'x' }), { status: 'Accepted' });
    assert.equal(seen, [
      ['Whatever', [1, 2]],
      [undefined, 'x'],
    ]);
    assert.equal(await call(p, { vendorId: 'com.example.vendor', messageId: 'Broken' }), {
      status: 'Rejected',
      statusInfo: { reasonCode: 'InternalError' },
    });
  });
});

test("P02.FR.06 P02.FR.07 the station's DataTransfer reaches the CSMS and gives back its answer", async () => {
  await withPair({}, async (p) => {
    p.csms.respond('DataTransfer', (req: any) =>
      req.vendorId !== 'com.example.csms'
        ? { status: 'UnknownVendorId' }
        : req.messageId === 'Hello'
          ? { status: 'Accepted', data: { echo: req.data } }
          : { status: 'UnknownMessageId' },
    );
    const hello = await p.station.dataTransfer({ vendorId: 'com.example.csms', messageId: 'Hello', data: 7 });
    assert.equal(hello, { status: 'sent', response: { status: 'Accepted', data: { echo: 7 } } });
    const other = await p.station.dataTransfer({ vendorId: 'com.example.csms', messageId: 'Other' });
    assert.equal(other, { status: 'sent', response: { status: 'UnknownMessageId' } });
    const vendor = await p.station.dataTransfer({ vendorId: 'org.unknown' });
    assert.equal(vendor, { status: 'sent', response: { status: 'UnknownVendorId' } });
    assert.equal(
      p.sent('DataTransfer').map((m: any) => m.request.vendorId),
      ['com.example.csms', 'com.example.csms', 'org.unknown'],
    );
  });
});

test.run();
