// What every CSMS request gets before a use case sees it, over real sockets: DataTransfer without a vendor use case,
// an action without a use case while Rejected, and an integrator's own use case taking over an action.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CallErrorResponse } from '../../runtime/rpc/errors.js';
import type { UseCase } from '../../runtime/station/core/types.js';
import { until } from '../support/rpc-harness.js';
import { startPair } from '../support/station-harness.js';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'answered',
    (e: unknown) => (e instanceof CallErrorResponse ? e.code : String(e)),
  );

test('P01.FR.05 DataTransfer for a vendor nobody implements: UnknownVendorId', async () => {
  const pair = await startPair();
  try {
    await until(() => pair.station.registration === 'Accepted', 3000, 'Accepted');
    assert.equal(await pair.csms.call(pair.identity, 'DataTransfer', { vendorId: 'com.example' }), {
      status: 'UnknownVendorId',
    });
  } finally {
    await pair.close();
  }
});

test('B03.FR.08 while Rejected an action without a use case is SecurityError too, not NotSupported', async () => {
  const pair = await startPair({ csms: { bootStatus: 'Rejected' } });
  try {
    await until(() => pair.station.registration === 'Rejected', 3000, 'Rejected');
    assert.is(await codeOf(pair.csms.call(pair.identity, 'ClearCache', {})), 'SecurityError');
    assert.is(
      await codeOf(pair.csms.call(pair.identity, 'DataTransfer', { vendorId: 'com.example' })),
      'SecurityError',
    );
  } finally {
    await pair.close();
  }
});

test('an integrator use case (options.useCases) answers DataTransfer of its vendor, after the answer acts', async () => {
  const done: string[] = [];
  const vendor: UseCase<number> = {
    name: 'vendor',
    init: () => 0,
    answers: {
      DataTransfer: (count, request) =>
        request.vendorId === 'com.example'
          ? {
              state: count + 1,
              response: { status: 'Accepted', data: { count: count + 1 } },
              after: [{ type: 'emit', event: { type: 'log', level: 'info', message: 'vendor done' } }],
            }
          : { response: { status: 'UnknownVendorId' } },
    },
  };
  const pair = await startPair({ station: { useCases: [vendor] } });
  pair.station.on('log', (e) => done.push(e.message));
  try {
    await until(() => pair.station.registration === 'Accepted', 3000, 'Accepted');
    assert.equal(await pair.csms.call(pair.identity, 'DataTransfer', { vendorId: 'com.example' }), {
      status: 'Accepted',
      data: { count: 1 },
    });
    assert.equal(await pair.csms.call(pair.identity, 'DataTransfer', { vendorId: 'org.other' }), {
      status: 'UnknownVendorId',
    });
    await until(() => done.includes('vendor done'), 3000, 'the after-effect');
  } finally {
    await pair.close();
  }
});

test.run();
