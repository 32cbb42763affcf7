// Part 6 TC_I_01/02/07_CS and I01–I06 on a station with a display, over real sockets against the built-in CSMS:
// the driver's tariff (personalMessage) and running and final cost from the CSMS reach `hardware.showDisplay` (the
// screen's `drivers`), and the fallback texts of TariffCostCtrlr where the CSMS gives none.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';
import type { DisplayScreen } from '../../runtime/station/O-display/messages.js';
import type { DriverScreen } from '../../runtime/station/I-tariff/driver-cost.js';

type P = TxPair & { screen(): DisplayScreen | undefined };

async function withCostDisplay(options: TxPairOptions, body: (p: P) => Promise<void>) {
  const screens: DisplayScreen[] = [];
  await withTxPair(
    { ...options, station: { ...options.station, hardware: { showDisplay: (s) => void screens.push(s) } } },
    async (p) => {
      const dp = p as P;
      dp.screen = () => screens[screens.length - 1];
      await body(dp);
    },
  );
}

/** Waits until the driver at EVSE 1 sees what `match` wants. */
async function driverSees(p: P, match: (d: DriverScreen) => boolean, what: string): Promise<DriverScreen> {
  for (let i = 0; i < 300; i++) {
    const d = p.screen()?.drivers.find((x) => x.evseId === 1 || x.evseId === 0);
    if (d && match(d)) return d;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.unreachable(`the display never showed ${what}; last: ${JSON.stringify(p.screen()?.drivers)}`);
  throw new Error('unreachable');
}

const text = (content: string) => ({ format: 'UTF8', content });

/** The CSMS's answers: a personal tariff on Authorize, and per TransactionEvent what `costs` says. */
function csmsCosts(p: TxPair, costs: { updated?: object; ended?: object; personal?: boolean }) {
  p.csms.respond('Authorize', () => ({
    idTokenInfo: { status: 'Accepted', ...(costs.personal === false ? {} : { personalMessage: text('0.30 EUR/kWh') }) },
  }));
  p.csms.respond('TransactionEvent', (req: any) => ({
    ...(req.idToken ? { idTokenInfo: { status: 'Accepted' } } : {}),
    ...(req.eventType === 'Updated' ? costs.updated : {}),
    ...(req.eventType === 'Ended' ? costs.ended : {}),
  }));
}

test('TC_I_01_CS I01.FR.03 I02.FR.02 I02.FR.03 I06.FR.03 the personal tariff, an updated one, and CostUpdated running cost reach the display', async () => {
  await withCostDisplay({}, async (p) => {
    csmsCosts(p, { updated: { updatedPersonalMessage: text('0.25 EUR/kWh from now') } });
    const transactionId = await states.energyTransferStarted(p);
    // An Updated event (the EV suspends) gets the CSMS's new tariff.
    states.suspendByEv(p);
    await driverSees(p, (d) => d.personalMessage?.content === '0.25 EUR/kWh from now', 'the updated tariff');
    assert.equal(await p.call('CostUpdated', { totalCost: 2.5, transactionId }), {});
    const d = await driverSees(p, (x) => x.runningCost === 2.5, 'the running cost 2.5');
    assert.equal([d.transactionId, d.currency], [transactionId, 'EUR']);
  });
});

test('TC_I_07_CS I02.FR.04 the running cost in a TransactionEventResponse reaches the display', async () => {
  await withCostDisplay({}, async (p) => {
    csmsCosts(p, { updated: { totalCost: 1.75 } });
    await states.energyTransferStarted(p);
    states.suspendByEv(p);
    const d = await driverSees(p, (x) => x.runningCost === 1.75, 'the running cost 1.75');
    assert.is(d.personalMessage?.content, '0.30 EUR/kWh');
  });
});

test('TC_I_02_CS I03.FR.01 I03.FR.03 I03.FR.04 the final cost of the Ended event (0.00: free) is shown until the driver leaves', async () => {
  await withCostDisplay({}, async (p) => {
    csmsCosts(p, { ended: { totalCost: 0 } });
    await states.energyTransferStarted(p);
    p.station.stopTransaction(1);
    await p.waitTx((r) => r.eventType === 'Ended');
    const d = await driverSees(p, (x) => x.finalCost === 0, 'the final cost 0');
    assert.ok(d.ended);
    states.evDisconnected(p);
    for (let i = 0; i < 300 && p.screen()!.drivers.length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(p.screen()!.drivers, []);
  });
});

test('I04.FR.01 I04.FR.02 without a driver-specific tariff the display shows TariffFallbackMessage, as the CSMS set it', async () => {
  await withCostDisplay({}, async (p) => {
    csmsCosts(p, { personal: false });
    const set = await p.call('SetVariables', {
      setVariableData: [
        {
          component: { name: 'TariffCostCtrlr' },
          variable: { name: 'TariffFallbackMessage' },
          attributeValue: '0.35 EUR/kWh',
        },
      ],
    });
    assert.is(set.setVariableResult[0].attributeStatus, 'Accepted');
    await states.energyTransferStarted(p);
    const d = await driverSees(p, (x) => x.tariffFallback === '0.35 EUR/kWh', 'the fallback tariff');
    assert.is(d.personalMessage, undefined);
  });
});

test('I05.FR.01 I05.FR.02 offline as the transaction ends: TotalCostFallbackMessage instead of a total cost', async () => {
  await withCostDisplay(
    { variables: { 'TariffCostCtrlr.TotalCostFallbackMessage': 'See your invoice' } },
    async (p) => {
      csmsCosts(p, { ended: { totalCost: 9.99 } });
      await states.energyTransferStarted(p);
      await p.csmsDown();
      for (let i = 0; i < 300 && p.station.connected; i++) await new Promise((r) => setTimeout(r, 10));
      p.station.stopTransaction(1);
      const d = await driverSees(p, (x) => x.costFallback === 'See your invoice', 'the total cost fallback');
      assert.is(d.finalCost, undefined);
    },
  );
});

test('I02.FR.02 CostUpdated for a transaction the station does not know is answered (and shows nothing)', async () => {
  await withCostDisplay({}, async (p) => {
    assert.equal(await p.call('CostUpdated', { totalCost: 3, transactionId: 'unknown' }), {});
    assert.equal(p.screen()?.drivers ?? [], []);
  });
});

test('I03.FR.05 with TxStopPoint ParkingBayOccupancy the final cost is not shown (the driver has left)', async () => {
  await withCostDisplay({ variables: { 'TxCtrlr.TxStopPoint': 'ParkingBayOccupancy' } }, async (p) => {
    // The answer to the Ended event also brings a message: once the display shows it, the answer was taken in.
    csmsCosts(p, { ended: { totalCost: 5, updatedPersonalMessage: text('Thank you') } });
    p.station.parkingBayOccupied(1);
    await states.energyTransferStarted(p);
    states.evDisconnected(p);
    p.station.parkingBayVacated(1);
    const d = await driverSees(p, (x) => x.personalMessage?.content === 'Thank you', 'the answer to the Ended event');
    assert.ok(d.ended);
    assert.is(d.finalCost, undefined);
  });
});

test.run();
