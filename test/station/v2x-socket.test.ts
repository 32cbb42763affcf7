// Block Q's messages over real sockets against the built-in CSMS speaking 2.1: NotifyAllowedEnergyTransfer for a
// running transaction (Q02.FR.05/06) and AFRRSignal (Q08.FR.10/11).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { UseCase } from '../../runtime/station/core/types.js';
import type { ChargingStationOptions } from '../../runtime/station/options.js';
import { startPair, type Pair } from '../support/station-harness.js';

type Calls = Array<{ op: string; args: unknown[] }>;

async function withV2xPair(extra: Partial<ChargingStationOptions>, fn: (p: Pair, calls: Calls) => Promise<void>) {
  const calls: Calls = [];
  const p = await startPair({
    csms: { versions: ['ocpp2.1'] },
    station: {
      versions: ['ocpp2.1'],
      hardware: {
        allowEnergyTransfer: (...args) => void calls.push({ op: 'allowEnergyTransfer', args }),
        authorizedEnergyTransfer: (...args) => void calls.push({ op: 'authorizedEnergyTransfer', args }),
        applyAFRRSignal: (...args) => void calls.push({ op: 'applyAFRRSignal', args }),
      },
      ...extra,
    },
  });
  try {
    await p.waitFor('StatusNotification');
    await fn(p, calls);
  } finally {
    await p.close();
  }
}

const call = (p: Pair, action: string, payload: unknown) => p.csms.call(p.identity, action, payload) as Promise<any>;

test('Q02.FR.05 Q02.FR.06 NotifyAllowedEnergyTransfer for the running transaction: Accepted, renegotiated by the 15118 stack', () =>
  withV2xPair({}, async (p, calls) => {
    p.station.cablePlugged(1);
    p.station.idTokenPresented({ idToken: 'V2X-1', type: 'ISO14443' }, 1);
    const started = await p.waitFor('TransactionEvent', (m: any) => m.request.eventType === 'Started');
    const transactionId = (started.request as any).transactionInfo.transactionId as string;
    assert.equal(await call(p, 'NotifyAllowedEnergyTransfer', { transactionId, allowedEnergyTransfer: ['AC_BPT'] }), {
      status: 'Accepted',
    });
    for (let i = 0; i < 50 && calls.length === 0; i++) await new Promise((r) => setImmediate(r));
    assert.equal(calls, [{ op: 'allowEnergyTransfer', args: [1, transactionId, ['AC_BPT']] }]);
  }));

test('Q01.FR.01 the allowedEnergyTransfer of an accepted AuthorizeResponse is passed on by block C and handed to the 15118 stack', () =>
  withV2xPair({}, async (p, calls) => {
    p.csms.respond('Authorize', (req: any) =>
      req.idToken.idToken === 'V2X-OK'
        ? { idTokenInfo: { status: 'Accepted' }, allowedEnergyTransfer: ['AC_three_phase', 'AC_BPT'] }
        : { idTokenInfo: { status: 'Invalid' }, allowedEnergyTransfer: ['AC_BPT'] },
    );
    const verdicts: string[] = [];
    p.station.on('authorization', (e) => void verdicts.push(`${e.idToken.idToken} ${e.idTokenInfo.status}`));
    // A refused driver gets nothing handed on, even with a list.
    p.station.idTokenPresented({ idToken: 'V2X-NO', type: 'ISO14443' }, 1);
    for (let i = 0; i < 200 && verdicts.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(verdicts, ['V2X-NO Invalid']);
    p.station.idTokenPresented({ idToken: 'V2X-OK', type: 'ISO14443' }, 1);
    for (let i = 0; i < 200 && calls.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(verdicts, ['V2X-NO Invalid', 'V2X-OK Accepted']);
    assert.equal(calls, [{ op: 'authorizedEnergyTransfer', args: [1, ['AC_three_phase', 'AC_BPT']] }]);
  }));

test('Q01.FR.03 the EV bidirectional needs the 15118 stack reports reach the CSMS in NotifyEVChargingNeeds (requested and available transfers, controlMode, v2xChargingParameters)', () =>
  withV2xPair({}, async (p) => {
    p.station.cablePlugged(1);
    p.station.idTokenPresented({ idToken: 'V2X-1', type: 'ISO14443' }, 1);
    await p.waitFor('TransactionEvent', (m: any) => m.request.eventType === 'Started');
    const needs = {
      requestedEnergyTransfer: 'AC_BPT' as const,
      availableEnergyTransfer: ['AC_three_phase' as const, 'AC_BPT' as const],
      controlMode: 'ScheduledControl' as const,
      v2xChargingParameters: { maxChargePower: 11_000, maxDischargePower: 7_000 },
    };
    p.station.evChargingNeeds(1, needs);
    const sent = await p.waitFor('NotifyEVChargingNeeds');
    assert.equal((sent.request as any).evseId, 1);
    assert.equal((sent.request as any).chargingNeeds, needs);
  }));

test('Q02.FR.06 NotifyAllowedEnergyTransfer for an unknown transaction: Rejected TxNotFound', () =>
  withV2xPair({}, async (p, calls) => {
    const r = await call(p, 'NotifyAllowedEnergyTransfer', {
      transactionId: 'nope',
      allowedEnergyTransfer: ['DC_BPT'],
    });
    assert.equal([r.status, r.statusInfo?.reasonCode], ['Rejected', 'TxNotFound']);
    assert.equal(calls, []);
  }));

test('Q08.FR.11 AFRRSignal without a LocalFrequency period with a v2xSignalWattCurve: Rejected NoSignalWattCurve', () =>
  withV2xPair({}, async (p) => {
    const r = await call(p, 'AFRRSignal', { timestamp: new Date().toISOString(), signal: 40 });
    assert.equal([r.status, r.statusInfo?.reasonCode], ['Rejected', 'NoSignalWattCurve']);
  }));

/** Stands in for block K's query until K provides it: a LocalFrequency period with a signal-watt curve on EVSE 1. */
const periodsInForce: UseCase<object> = {
  name: 'test.periods',
  init: () => ({}),
  queries: {
    v2xPeriodsInForce: () => [
      {
        evseId: 1,
        period: {
          startPeriod: 0,
          operationMode: 'LocalFrequency',
          v2xBaseline: 0,
          v2xFreqWattCurve: [
            { frequency: 49.8, power: 5_000 },
            { frequency: 50.2, power: -5_000 },
          ],
          v2xSignalWattCurve: [
            { signal: -100, power: -4_000 },
            { signal: 100, power: 4_000 },
          ],
        },
      },
    ],
  },
};

test('Q08.FR.10 AFRRSignal with a v2xSignalWattCurve in force: Accepted, the power delta handed to the hardware', () =>
  withV2xPair({ useCases: [periodsInForce] }, async (p, calls) => {
    const timestamp = new Date().toISOString();
    assert.equal(await call(p, 'AFRRSignal', { timestamp, signal: 25 }), { status: 'Accepted' });
    for (let i = 0; i < 50 && calls.length === 0; i++) await new Promise((r) => setImmediate(r));
    assert.equal(calls, [
      { op: 'applyAFRRSignal', args: [{ timestamp, signal: 25, evses: [{ evseId: 1, power: 1_000 }] }] },
    ]);
  }));

test.run();
