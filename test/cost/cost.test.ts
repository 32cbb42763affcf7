// The 2.1 cost function (runtime/cost, I12): a table of cases whose expected amounts were worked out by hand from
// Part 2 block I (§1.2 tariff structures, §1.3 cost details, I07.FR.17, I11.FR.08, I12.FR.05–41), then a property:
// the cost never decreases as the energy or the time of a transaction grows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TariffType } from '../../generated/v21/types.js';
import { costDetails, type CostInput, type UsageSample } from '../../runtime/cost/index.js';
import { fromNumber, toDecimal } from '../../runtime/cost/decimal.js';

const T = (iso: string) => Date.parse(iso);
const MIN = 60_000;
// 2025-04-07 is a Monday, 2025-04-06 a Sunday.
const MON = '2025-04-07';
const SUN = '2025-04-06';

/** Charges linearly `kWh` over [from, from + minutes], then idles `idleMin` minutes (samples at the given splits). */
function session(from: string, minutes: number, kWh: number, idleMin = 0, extra: Partial<UsageSample> = {}) {
  const a = T(from);
  const samples: UsageSample[] = [
    { at: a, energyWh: 0, charging: true, ...extra },
    { at: a + minutes * MIN, energyWh: kWh * 1000, charging: false },
  ];
  return { start: a, end: a + (minutes + idleMin) * MIN, samples };
}

const tariff = (t: Partial<TariffType>): TariffType => ({ tariffId: 'T', currency: 'EUR', ...t });
const kwh = (priceKwh: number, conditions?: object) => ({ priceKwh, ...(conditions ? { conditions } : {}) });
const perMin = (priceMinute: number, conditions?: object) => ({ priceMinute, ...(conditions ? { conditions } : {}) });
const vat = (tax: number, stack?: number) => ({ type: 'vat', tax, ...(stack !== undefined ? { stack } : {}) });

interface Case {
  name: string;
  input: CostInput;
  /** Total excl / incl tax, as decimals. */
  total: [string, string];
  /** Some components, excl / incl. */
  parts?: Record<string, [string, string]>;
  typeOfCost?: 'NormalCost' | 'MinCost' | 'MaxCost';
  /** [tariffId, startPeriod (HH:MM UTC), energy Wh] of each charging period. */
  periods?: Array<[string, string, number]>;
  usage?: Partial<{ energy: number; chargingTime: number; idleTime: number; reservationTime: number }>;
}

const simple = tariff({
  tariffId: '10',
  currency: 'USD',
  energy: {
    taxRates: [
      { type: 'federal', tax: 6 },
      { type: 'state', tax: 4 },
    ],
    prices: [kwh(0.25)],
  },
});
// Part 2 I §1.2.2 (tariff 11): 0.40 from 08:00 to 18:00, else 0.25; an idle fee of 1/min from 08:00 to 18:00.
const officeHours = { startTimeOfDay: '08:00', endTimeOfDay: '18:00' };
const tariff11 = tariff({
  tariffId: '11',
  energy: { taxRates: [vat(4)], prices: [kwh(0.4, officeHours), kwh(0.25)] },
  idleTime: { taxRates: [vat(4)], prices: [perMin(1, officeHours)] },
});
// Part 2 I §1.2.3 (tariff 12): start fee by payment method; per-minute price by power.
const tariff12 = tariff({
  tariffId: '12',
  fixedFee: {
    taxRates: [vat(10)],
    prices: [{ priceFixed: 3, conditions: { paymentRecognition: 'CC' } }, { priceFixed: 2.5 }],
  },
  chargingTime: {
    taxRates: [vat(15)],
    prices: [perMin(1, { maxPower: 11000 }), perMin(2, { minPower: 11000 })],
  },
});

const cases: Case[] = [
  {
    name: 'I12.FR.04 I12.FR.09 I12.FR.12 I §1.2.1/§1.3 simple kWh tariff, 10 kWh at 0.25 with federal 6% and state 4% (one stack): 2.50 / 2.75',
    input: { tariff: simple, ...session(`${MON}T14:01:02Z`, 60, 10), final: true },
    total: ['2.5', '2.75'],
    parts: { energy: ['2.5', '2.75'] },
    periods: [['10', '14:01', 10000]],
    usage: { energy: 10000 },
  },
  {
    name: 'no energy: nothing to pay',
    input: { tariff: simple, ...session(`${MON}T10:00:00Z`, 30, 0) },
    total: ['0', '0'],
  },
  {
    name: '1 kWh at 0.25',
    input: { tariff: simple, ...session(`${MON}T10:00:00Z`, 30, 1) },
    total: ['0.25', '0.275'],
  },
  {
    name: 'exact decimals: 3 kWh at 0.1 is 0.3 (no binary float residue)',
    input: { tariff: tariff({ energy: { prices: [kwh(0.1)] } }), ...session(`${MON}T10:00:00Z`, 30, 3) },
    total: ['0.3', '0.3'],
  },
  {
    name: 'six-decimal price: 7.5 kWh at 0.123456 is 0.92592',
    input: { tariff: tariff({ energy: { prices: [kwh(0.123456)] } }), ...session(`${MON}T10:00:00Z`, 30, 7.5) },
    total: ['0.92592', '0.92592'],
  },
  {
    name: 'I12.FR.35 I12.FR.36 I §1.3 price change at 18:00 (tariff 11): 6 kWh before at 0.40, 4 kWh after at 0.25, vat 4%; two periods',
    input: {
      tariff: tariff11,
      start: T(`${MON}T17:30:00Z`),
      end: T(`${MON}T18:30:00Z`),
      samples: [
        { at: `${MON}T17:30:00Z`, energyWh: 0, charging: true },
        { at: `${MON}T18:00:00Z`, energyWh: 6000, charging: true },
        { at: `${MON}T18:30:00Z`, energyWh: 10000, charging: false },
      ],
    },
    total: ['3.4', '3.536'],
    parts: { energy: ['3.4', '3.536'], idleTime: ['0', '0'] },
    periods: [
      ['11', '17:30', 6000],
      ['11', '18:00', 4000],
    ],
  },
  {
    name: 'I §1.2.2 idle fee in office hours: 5 kWh at 0.40 + 10 idle minutes at 1/min, vat 4%',
    input: { tariff: tariff11, ...session(`${MON}T10:00:00Z`, 60, 5, 10) },
    total: ['12', '12.48'],
    parts: { energy: ['2', '2.08'], idleTime: ['10', '10.4'] },
    usage: { chargingTime: 3600, idleTime: 600 },
  },
  {
    name: 'I §1.2.2 no idle fee in the evening (no idle price applies), energy at 0.25',
    input: { tariff: tariff11, ...session(`${MON}T19:00:00Z`, 60, 4, 30) },
    total: ['1', '1.04'],
    parts: { idleTime: ['0', '0'] },
  },
  {
    name: 'charging time: 30 minutes at 2/min',
    input: { tariff: tariff({ chargingTime: { prices: [perMin(2)] } }), ...session(`${MON}T10:00:00Z`, 30, 5) },
    total: ['60', '60'],
    usage: { chargingTime: 1800 },
  },
  {
    name: 'one second at 1/min is 1/60, rounded half up at six decimals: 0.016667',
    input: {
      tariff: tariff({ chargingTime: { prices: [perMin(1)] } }),
      start: 0,
      end: 1000,
      samples: [{ at: 0, energyWh: 0, charging: true }],
    },
    total: ['0.016667', '0.016667'],
  },
  {
    name: 'rounding to 2 decimals: 1/60 is 0.02',
    input: {
      tariff: tariff({ chargingTime: { prices: [perMin(1)] } }),
      start: 0,
      end: 1000,
      samples: [{ at: 0, energyWh: 0, charging: true }],
      decimals: 2,
    },
    total: ['0.02', '0.02'],
  },
  {
    name: 'rounding half away from zero: 1 kWh at 0.005 with 2 decimals is 0.01',
    input: {
      tariff: tariff({ energy: { prices: [kwh(0.005)] } }),
      ...session(`${MON}T10:00:00Z`, 10, 1),
      decimals: 2,
    },
    total: ['0.01', '0.01'],
  },
  {
    name: 'I12.FR.05 I12.FR.13 fixed fee 2.50 with vat 15%: 2.875 incl. tax',
    input: {
      tariff: tariff({ fixedFee: { taxRates: [vat(15)], prices: [{ priceFixed: 2.5 }] } }),
      ...session(`${MON}T10:00:00Z`, 10, 1),
    },
    total: ['2.5', '2.875'],
    parts: { fixed: ['2.5', '2.875'] },
  },
  {
    name: 'I §1.2.3 start fee for a credit card (paymentRecognition CC): 3.00, vat 10%',
    input: { tariff: tariff12, ...session(`${MON}T10:00:00Z`, 0, 0), paymentRecognition: 'CC' },
    total: ['3', '3.3'],
    parts: { fixed: ['3', '3.3'], chargingTime: ['0', '0'] },
  },
  {
    name: 'I §1.2.3 start fee for other payment methods: 2.50',
    input: { tariff: tariff12, ...session(`${MON}T10:00:00Z`, 0, 0) },
    total: ['2.5', '2.75'],
  },
  {
    name: 'I §1.2.3 per-minute price by power: 60 min below 11 kW at 1/min, 30 min at 22 kW at 2/min, vat 15%',
    input: {
      tariff: tariff12,
      start: T(`${MON}T14:00:00Z`),
      end: T(`${MON}T15:30:00Z`),
      samples: [
        { at: `${MON}T14:00:00Z`, energyWh: 0, charging: true, powerW: 10500 },
        { at: `${MON}T15:00:00Z`, energyWh: 10500, charging: true, powerW: 22000 },
        { at: `${MON}T15:30:00Z`, energyWh: 21500, charging: false },
      ],
    },
    total: ['122.5', '140.75'],
    parts: { fixed: ['2.5', '2.75'], chargingTime: ['120', '138'] },
    periods: [
      ['12', '14:00', 10500],
      ['12', '15:00', 11000],
    ],
  },
  {
    name: 'I12.FR.38 below minCost at the end: the total becomes minCost as a fixed cost, typeOfCost MinCost',
    input: {
      tariff: tariff({ energy: { prices: [kwh(0.25)] }, minCost: { exclTax: 1 } }),
      ...session(`${MON}T10:00:00Z`, 30, 2),
      final: true,
    },
    total: ['1', '1'],
    typeOfCost: 'MinCost',
    usage: { energy: 2000 },
  },
  {
    name: 'I12.FR.38 minCost applies only at the end: the running cost is the calculated one',
    input: {
      tariff: tariff({ energy: { prices: [kwh(0.25)] }, minCost: { exclTax: 1 } }),
      ...session(`${MON}T10:00:00Z`, 30, 2),
    },
    total: ['0.5', '0.5'],
    typeOfCost: 'NormalCost',
  },
  {
    name: 'I12.FR.41 above minCost: NormalCost',
    input: {
      tariff: tariff({ energy: { prices: [kwh(0.25)] }, minCost: { exclTax: 1 } }),
      ...session(`${MON}T10:00:00Z`, 60, 20),
      final: true,
    },
    total: ['5', '5'],
    typeOfCost: 'NormalCost',
  },
  {
    name: 'I12.FR.38 I12.FR.13 minCost with its taxes: 1.25 excl. / 1.5 incl. replaces 1 / 1.2',
    input: {
      tariff: tariff({
        energy: { taxRates: [vat(20)], prices: [kwh(0.5)] },
        minCost: { exclTax: 1.25, taxRates: [vat(20)] },
      }),
      ...session(`${MON}T10:00:00Z`, 30, 2),
      final: true,
    },
    total: ['1.25', '1.5'],
    typeOfCost: 'MinCost',
  },
  {
    name: 'I12.FR.39 I12.FR.40 I12.FR.41 maxCost excl. tax reached: frozen at 6, usage counted on',
    input: {
      tariff: tariff({ energy: { prices: [kwh(0.5)] }, maxCost: { exclTax: 6 } }),
      ...session(`${MON}T10:00:00Z`, 60, 20),
    },
    total: ['6', '6'],
    typeOfCost: 'MaxCost',
    usage: { energy: 20000 },
  },
  {
    name: 'I12.FR.39 maxCost incl. tax reached: 5 excl. / 6 incl. with vat 20%',
    input: {
      tariff: tariff({ energy: { taxRates: [vat(20)], prices: [kwh(0.5)] }, maxCost: { inclTax: 6 } }),
      ...session(`${MON}T10:00:00Z`, 60, 20),
    },
    total: ['5', '6'],
    typeOfCost: 'MaxCost',
  },
  {
    name: 'I12.FR.39 a fixed fee above maxCost: capped at maxCost, nothing added after',
    input: {
      tariff: tariff({
        fixedFee: { prices: [{ priceFixed: 10 }] },
        energy: { prices: [kwh(0.5)] },
        maxCost: { exclTax: 5 },
      }),
      ...session(`${MON}T10:00:00Z`, 60, 20),
    },
    total: ['5', '5'],
    parts: { fixed: ['5', '5'], energy: ['0', '0'] },
    typeOfCost: 'MaxCost',
  },
  {
    name: 'I12.FR.13 stacked taxes: energy tax 10% (stack 0), then vat 20% on top (stack 1): 10 → 13.2',
    input: {
      tariff: tariff({ energy: { taxRates: [vat(10, 0), vat(20, 1)], prices: [kwh(1)] } }),
      ...session(`${MON}T10:00:00Z`, 60, 10),
    },
    total: ['10', '13.2'],
  },
  {
    name: 'I12.FR.13 equal stacks add up: 10% on stack 0, 10% + 5% on stack 1: 10 → 12.65',
    input: {
      tariff: tariff({ energy: { taxRates: [vat(10, 0), vat(10, 1), vat(5, 1)], prices: [kwh(1)] } }),
      ...session(`${MON}T10:00:00Z`, 60, 10),
    },
    total: ['10', '12.65'],
  },
  {
    name: 'dayOfWeek: Monday 0.50, else 0.30 — on a Monday',
    input: {
      tariff: tariff({ energy: { prices: [kwh(0.5, { dayOfWeek: ['Monday'] }), kwh(0.3)] } }),
      ...session(`${MON}T10:00:00Z`, 60, 10),
    },
    total: ['5', '5'],
  },
  {
    name: 'dayOfWeek: Monday 0.50, else 0.30 — on a Sunday',
    input: {
      tariff: tariff({ energy: { prices: [kwh(0.5, { dayOfWeek: ['Monday'] }), kwh(0.3)] } }),
      ...session(`${SUN}T10:00:00Z`, 60, 10),
    },
    total: ['3', '3'],
  },
  {
    name: 'price change at midnight Sunday → Monday: 1 kWh at 0.30, 1 kWh at 0.50, two periods',
    input: {
      tariff: tariff({ energy: { prices: [kwh(0.5, { dayOfWeek: ['Monday'] }), kwh(0.3)] } }),
      ...session(`${SUN}T23:30:00Z`, 60, 2),
    },
    total: ['0.8', '0.8'],
    periods: [
      ['T', '23:30', 1000],
      ['T', '00:00', 1000],
    ],
  },
  {
    name: 'validFromDate (inclusive): 0.60 from 2025-04-08, else 0.40; 2 kWh each side of midnight',
    input: {
      tariff: tariff({ energy: { prices: [kwh(0.6, { validFromDate: '2025-04-08' }), kwh(0.4)] } }),
      ...session(`${MON}T23:00:00Z`, 120, 4),
    },
    total: ['2', '2'],
    periods: [
      ['T', '23:00', 2000],
      ['T', '00:00', 2000],
    ],
  },
  {
    name: 'validToDate (exclusive): 0.60 until 2025-04-08, else 0.40; 3 kWh before midnight, 1 after',
    input: {
      tariff: tariff({ energy: { prices: [kwh(0.6, { validToDate: '2025-04-08' }), kwh(0.4)] } }),
      start: T(`${MON}T23:00:00Z`),
      end: T('2025-04-08T01:00:00Z'),
      samples: [
        { at: `${MON}T23:00:00Z`, energyWh: 0, charging: true },
        { at: '2025-04-08T00:00:00Z', energyWh: 3000, charging: true },
        { at: '2025-04-08T01:00:00Z', energyWh: 4000, charging: false },
      ],
    },
    total: ['2.2', '2.2'],
  },
  {
    name: 'I07.FR.17 local time: 08:00 in Amsterdam (UTC+2 in April) is 06:00Z; 1 kWh at 0.25 before, 1 at 0.40 after',
    input: {
      tariff: tariff({ energy: { prices: [kwh(0.4, officeHours), kwh(0.25)] } }),
      ...session(`${MON}T05:30:00Z`, 60, 2),
      timeZone: 'Europe/Amsterdam',
    },
    total: ['0.65', '0.65'],
    periods: [
      ['T', '05:30', 1000],
      ['T', '06:00', 1000],
    ],
  },
  {
    name: 'I12.FR.37 daylight saving time: on 2025-03-30 Amsterdam jumps from 02:00 to 03:00; 03:00 local is 01:00Z',
    input: {
      tariff: tariff({ energy: { prices: [kwh(1, { startTimeOfDay: '03:00', endTimeOfDay: '04:00' }), kwh(0)] } }),
      ...session('2025-03-30T00:30:00Z', 60, 2),
      timeZone: 'Europe/Amsterdam',
    },
    total: ['1', '1'],
  },
  {
    name: 'a time-of-day range wrapping around midnight: 22:00–06:00 at 0.20, else 0.30',
    input: {
      tariff: tariff({ energy: { prices: [kwh(0.2, { startTimeOfDay: '22:00', endTimeOfDay: '06:00' }), kwh(0.3)] } }),
      ...session(`${MON}T21:30:00Z`, 60, 2),
    },
    total: ['0.5', '0.5'],
  },
  {
    name: 'endTimeOfDay 00:00 is the end of the day: 18:00–00:00 at 0.50, else 0.30',
    input: {
      tariff: tariff({ energy: { prices: [kwh(0.5, { startTimeOfDay: '18:00', endTimeOfDay: '00:00' }), kwh(0.3)] } }),
      ...session(`${MON}T23:30:00Z`, 60, 2),
    },
    total: ['0.8', '0.8'],
  },
  {
    name: 'maxEnergy (exclusive): the first 10 kWh at 0.30, the rest at 0.20; 15 kWh',
    input: {
      tariff: tariff({ energy: { prices: [kwh(0.3, { maxEnergy: 10000 }), kwh(0.2)] } }),
      ...session(`${MON}T10:00:00Z`, 90, 15),
    },
    total: ['4', '4'],
    periods: [
      ['T', '10:00', 10000],
      ['T', '11:00', 5000],
    ],
  },
  {
    name: 'I §1.2.4 idle fee after 5 idle minutes (minIdleTime 300): 10 idle minutes at 1/min → 5',
    input: {
      tariff: tariff({ idleTime: { prices: [perMin(1, { minIdleTime: 300 })] } }),
      ...session(`${MON}T10:00:00Z`, 30, 5, 10),
    },
    total: ['5', '5'],
  },
  {
    name: 'I §1.2.4 tariff 22: idle 0.909/min after 5 minutes, vat 10%; 10 idle minutes → 4.545 / 4.9995',
    input: {
      tariff: tariff({
        tariffId: '22',
        energy: { taxRates: [vat(10)], prices: [kwh(0.4)] },
        idleTime: { taxRates: [vat(10)], prices: [perMin(0.909, { minIdleTime: 300 })] },
      }),
      ...session(`${MON}T10:00:00Z`, 30, 0, 10),
    },
    total: ['4.545', '4.9995'],
  },
  {
    name: 'maxChargingTime (exclusive): the first hour at 0.05/min, then 0.10/min; 90 minutes → 6',
    input: {
      tariff: tariff({ chargingTime: { prices: [perMin(0.05, { maxChargingTime: 3600 }), perMin(0.1)] } }),
      ...session(`${MON}T10:00:00Z`, 90, 20),
    },
    total: ['6', '6'],
  },
  {
    name: 'maxTime (transaction duration, exclusive): 0.10/min for 30 minutes, then 0.20/min; 60 minutes → 9',
    input: {
      tariff: tariff({ chargingTime: { prices: [perMin(0.1, { maxTime: 1800 }), perMin(0.2)] } }),
      ...session(`${MON}T10:00:00Z`, 60, 10),
    },
    total: ['9', '9'],
  },
  {
    name: 'I12.FR.06 I12.FR.08 a reservation: reservationFixed 1.50 once',
    input: {
      tariff: tariff({ reservationFixed: { prices: [{ priceFixed: 1.5 }] } }),
      ...session(`${MON}T10:00:00Z`, 30, 5),
      reservation: { receivedAt: `${MON}T09:45:00Z` },
    },
    total: ['1.5', '1.5'],
    parts: { reservationFixed: ['1.5', '1.5'] },
  },
  {
    name: 'I12.FR.06 without a reservation no reservation cost',
    input: {
      tariff: tariff({ reservationFixed: { prices: [{ priceFixed: 1.5 }] } }),
      ...session(`${MON}T10:00:00Z`, 30, 5),
    },
    total: ['0', '0'],
  },
  {
    name: 'I12.FR.07 reservation time: 15 minutes from ReserveNow to the start at 0.10/min → 1.50, usage 900 s',
    input: {
      tariff: tariff({ reservationTime: { prices: [perMin(0.1)] } }),
      ...session(`${MON}T10:00:00Z`, 30, 5),
      reservation: { receivedAt: `${MON}T09:45:00Z` },
    },
    total: ['1.5', '1.5'],
    usage: { reservationTime: 900 },
  },
  {
    name: 'I11.FR.08 ChangeTransactionTariff after 30 minutes: 1 kWh at 0.25 (A), 1 kWh at 0.40 (B), not retroactive',
    input: {
      tariff: tariff({ tariffId: 'A', energy: { prices: [kwh(0.25)] } }),
      changes: [{ at: `${MON}T10:30:00Z`, tariff: tariff({ tariffId: 'B', energy: { prices: [kwh(0.4)] } }) }],
      ...session(`${MON}T10:00:00Z`, 60, 2),
    },
    total: ['0.65', '0.65'],
    periods: [
      ['A', '10:00', 1000],
      ['B', '10:30', 1000],
    ],
  },
  {
    name: 'evseKind: DC at 0.60, else 0.40 — on a DC EVSE',
    input: {
      tariff: tariff({ energy: { prices: [kwh(0.6, { evseKind: 'DC' }), kwh(0.4)] } }),
      ...session(`${MON}T10:00:00Z`, 60, 10),
      evseKind: 'DC',
    },
    total: ['6', '6'],
  },
  {
    name: 'minCurrent (inclusive): 16 A or more at 0.50, else 0.30; 1 kWh at 10 A, 3 kWh at 32 A',
    input: {
      tariff: tariff({ energy: { prices: [kwh(0.5, { minCurrent: 16 }), kwh(0.3)] } }),
      start: T(`${MON}T10:00:00Z`),
      end: T(`${MON}T11:00:00Z`),
      samples: [
        { at: `${MON}T10:00:00Z`, energyWh: 0, charging: true, currentA: 10 },
        { at: `${MON}T10:30:00Z`, energyWh: 1000, charging: true, currentA: 32 },
        { at: `${MON}T11:00:00Z`, energyWh: 4000, charging: false },
      ],
    },
    total: ['1.8', '1.8'],
  },
  {
    name: 'I12.FR.10 I12.FR.11 usage: 45 minutes charging, 15 idle',
    input: {
      tariff: tariff({ chargingTime: { prices: [perMin(0.1)] }, idleTime: { prices: [perMin(0.2)] } }),
      ...session(`${MON}T10:00:00Z`, 45, 9, 15),
    },
    total: ['7.5', '7.5'],
    usage: { chargingTime: 2700, idleTime: 900, energy: 9000 },
  },
  {
    name: 'a meter that goes back (replaced) adds no energy and no cost',
    input: {
      tariff: simple,
      start: 0,
      end: 2 * 3600_000,
      samples: [
        { at: 0, energyWh: 5000, charging: true },
        { at: 3600_000, energyWh: 1000, charging: true },
        { at: 2 * 3600_000, energyWh: 5000, charging: false },
      ],
    },
    total: ['1', '1.1'],
    usage: { energy: 4000 },
  },
  {
    name: 'I12.FR.17 the total is the sum of the rounded parts: 0.0000005 + 0.0000005 → 0.000001 + 0.000001',
    input: {
      tariff: tariff({ fixedFee: { prices: [{ priceFixed: 0.0000005 }] }, energy: { prices: [kwh(0.0000005)] } }),
      ...session(`${MON}T10:00:00Z`, 60, 1),
    },
    total: ['0.000002', '0.000002'],
  },
  {
    name: 'no samples: no energy, the whole time idle',
    input: {
      tariff: tariff({ idleTime: { prices: [perMin(0.5)] } }),
      start: 0,
      end: 10 * MIN,
      samples: [],
    },
    total: ['5', '5'],
    usage: { energy: 0, idleTime: 600 },
  },
  {
    name: 'I12.FR.30 the fixed fee is evaluated once at the start: Sunday 1.00 (else 2.00) for a session into Monday',
    input: {
      tariff: tariff({
        fixedFee: { prices: [{ priceFixed: 1, conditions: { dayOfWeek: ['Sunday'] } }, { priceFixed: 2 }] },
      }),
      ...session(`${SUN}T23:50:00Z`, 60, 5),
    },
    total: ['1', '1'],
  },
  {
    name: 'a per-minute price change at 18:00: 60 minutes at 1/min, then 30 at 0.50/min',
    input: {
      tariff: tariff({ chargingTime: { prices: [perMin(1, officeHours), perMin(0.5)] } }),
      ...session(`${MON}T17:00:00Z`, 90, 10),
    },
    total: ['75', '75'],
  },
  {
    name: 'I12.FR.16 the currency is the tariff’s',
    input: { tariff: simple, ...session(`${MON}T10:00:00Z`, 10, 1) },
    total: ['0.25', '0.275'],
  },
];

function check(c: Case): void {
  const { costDetails: d, amounts } = costDetails(c.input);
  assert.equal([amounts.total?.exclTax, amounts.total?.inclTax], c.total, 'total');
  assert.equal([d.totalCost.total.exclTax, d.totalCost.total.inclTax], c.total.map(Number), 'total as numbers');
  assert.is(d.totalCost.currency, (c.input.changes?.at(-1)?.tariff ?? c.input.tariff).currency);
  for (const [k, v] of Object.entries(c.parts ?? {}))
    assert.equal([amounts[k as keyof typeof amounts]?.exclTax, amounts[k as keyof typeof amounts]?.inclTax], v, k);
  assert.is(d.totalCost.typeOfCost, c.typeOfCost ?? 'NormalCost');
  if (c.periods)
    assert.equal(
      (d.chargingPeriods ?? []).map((p) => [
        p.tariffId,
        p.startPeriod.slice(11, 16),
        p.dimensions?.find((x) => x.type === 'Energy')?.volume ?? 0,
      ]),
      c.periods,
      'periods',
    );
  for (const [k, v] of Object.entries(c.usage ?? {}))
    assert.is(d.totalUsage[k as keyof typeof d.totalUsage], v, `totalUsage.${k}`);
}

for (const c of cases) test(`cost: ${c.name}`, () => check(c));

/** The table's cases that name one of `ids`, again under a test whose literal name carries the IDs. */
const casesNaming =
  (...ids: string[]) =>
  () => {
    const mine = cases.filter((c) => ids.some((id) => new RegExp(`\\b${id.replace(/\./g, '\\.')}\\b`).test(c.name)));
    assert.ok(mine.length > 0, `no case names ${ids.join(', ')}`);
    mine.forEach(check);
  };

test(
  'I07.FR.17 I12.FR.37 the table cases on local time: conditions in the tariff time zone, across a DST change',
  casesNaming('I07.FR.17', 'I12.FR.37'),
);
test(
  'I12.FR.05 I12.FR.30 the table cases on the fixed fee: in totalCost.fixed, its conditions evaluated once at the start',
  casesNaming('I12.FR.05', 'I12.FR.30'),
);
test(
  'I12.FR.06 I12.FR.07 I12.FR.08 the table cases on reservations: reservationTime and reservationFixed once at the start, only with a reservation',
  casesNaming('I12.FR.06', 'I12.FR.07', 'I12.FR.08'),
);
test(
  'I12.FR.09 I12.FR.10 I12.FR.11 the table cases on usage: energy, charging time and idle time in totalUsage and their costs in totalCost',
  casesNaming('I12.FR.09', 'I12.FR.10', 'I12.FR.11'),
);
test(
  'I12.FR.12 I12.FR.13 the table cases on taxes: exclTax, and inclTax by stacked tax rates',
  casesNaming('I12.FR.12', 'I12.FR.13'),
);
test(
  'I12.FR.16 I12.FR.17 the table cases on totals: the tariff currency, the total the sum of the parts',
  casesNaming('I12.FR.16', 'I12.FR.17'),
);
test(
  'I12.FR.33 I12.FR.34 I12.FR.35 I12.FR.36 the table cases on price changes: the first applicable element of each kind is used, and a change of it starts a new charging period',
  casesNaming('I12.FR.35', 'I12.FR.36', 'I §1.2.2', 'dayOfWeek', 'maxEnergy'),
);
test(
  'I12.FR.38 I12.FR.39 I12.FR.40 I12.FR.41 the table cases on minCost and maxCost: MinCost at the end, MaxCost frozen with usage counted on, else NormalCost',
  casesNaming('I12.FR.38', 'I12.FR.39', 'I12.FR.40', 'I12.FR.41'),
);

test('I12.FR.14 a price condition on power without power in the samples: failureToCalculate with a reason, and what could be calculated', () => {
  const t = tariff({
    fixedFee: { prices: [{ priceFixed: 1 }] },
    chargingTime: { prices: [perMin(1, { maxPower: 11000 }), perMin(2, { minPower: 11000 })] },
  });
  const samples = [
    { at: `${MON}T10:00:00Z`, energyWh: 0, charging: true },
    { at: `${MON}T10:30:00Z`, energyWh: 5000, charging: true },
  ];
  const input = { tariff: t, start: `${MON}T10:00:00Z`, end: `${MON}T10:30:00Z`, samples };
  const { costDetails: d } = costDetails(input);
  assert.is(d.failureToCalculate, true);
  assert.match(d.failureReason ?? '', /power/);
  // The fixed fee and the usage were calculated; the per-minute price could not be chosen.
  assert.equal(d.totalCost.fixed, { exclTax: 1, inclTax: 1 });
  assert.is(d.totalUsage.chargingTime, 1800);
  // With the power measured (7 kW, then 22 kW), the same tariff is calculated in full: 15 min at 1 + 15 at 2.
  const measured = costDetails({
    ...input,
    samples: [
      { ...samples[0]!, powerW: 7000 },
      { at: `${MON}T10:15:00Z`, energyWh: 1750, charging: true, powerW: 22000 },
      samples[1]!,
    ],
  }).costDetails;
  assert.is(measured.failureToCalculate, undefined);
  assert.equal(measured.totalCost.total, { exclTax: 46, inclTax: 46 });
});

test('the table has at least 40 cases', () => {
  assert.ok(cases.length >= 40, `${cases.length}`);
});

test('decimal: a number enters by its shortest decimal text, and rounding is half away from zero', () => {
  assert.is(toDecimal(fromNumber(0.1 + 0.2), 6), '0.3');
  assert.is(toDecimal(fromNumber(1e-7), 7), '0.0000001');
  assert.is(toDecimal(fromNumber(-0.125), 2), '-0.13');
  assert.is(toDecimal(fromNumber(2.5e21), 0), '2500000000000000000000');
});

// A seeded generator: the same cases every run.
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function randomTariff(r: () => number): TariffType {
  const cond = (forTime = false): object | undefined =>
    pick(r, [
      undefined,
      { startTimeOfDay: '08:00', endTimeOfDay: '18:00' },
      { startTimeOfDay: '22:00', endTimeOfDay: '06:00' },
      { dayOfWeek: ['Monday', 'Saturday'] },
      // A price of time may depend on the energy (cheaper minutes after 5 kWh): then more energy can cost less.
      forTime ? { maxPower: 11000 } : { maxEnergy: 5000 },
      forTime ? undefined : { minEnergy: 3000 },
      { minIdleTime: 300 },
      { maxChargingTime: 1800 },
      { minTime: 600 },
      { minPower: 11000 },
    ]);
  const price = () => Math.round(r() * 100) / 100;
  const energyPrices = [kwh(price(), cond()), kwh(price())];
  return tariff({
    energy: { prices: energyPrices, taxRates: [vat(pick(r, [0, 9, 21]))] },
    chargingTime: { prices: [perMin(price(), cond(true)), perMin(price())] },
    idleTime: { prices: [perMin(price(), cond(true))] },
    ...(r() < 0.5 ? { fixedFee: { prices: [{ priceFixed: price() }] } } : {}),
    ...(r() < 0.3 ? { maxCost: { exclTax: 1 + price() * 10 } } : {}),
    ...(r() < 0.3 ? { minCost: { exclTax: price() * 5 } } : {}),
  });
}

function randomSamples(r: () => number, start: number, steps: number): UsageSample[] {
  const out: UsageSample[] = [];
  let e = 0;
  let t = start;
  for (let i = 0; i < steps; i++) {
    const charging = r() < 0.7;
    out.push({ at: t, energyWh: e, charging, powerW: Math.round(r() * 22000) });
    t += Math.round(1 + r() * 40) * MIN;
    if (charging) e += Math.round(r() * 8000);
  }
  out.push({ at: t, energyWh: e, charging: false });
  return out;
}

test('property: the cost never decreases as the energy or the time grows (prices of time not bound to energy)', () => {
  const r = rng(16);
  for (let run = 0; run < 60; run++) {
    const t = randomTariff(r);
    const start = T(`${pick(r, [MON, SUN])}T${pick(r, ['05', '17', '21'])}:${pick(r, ['00', '37'])}:00Z`);
    const samples = randomSamples(r, start, 2 + Math.floor(r() * 5));
    const end = Number(samples.at(-1)!.at) + Math.round(r() * 30) * MIN;
    const final = r() < 0.5;
    const total = (input: CostInput) => Number(costDetails(input).amounts.total!.exclTax);
    const base = { tariff: t, start, end, samples, final, timeZone: 'Europe/Amsterdam' };
    const before = total(base);
    // More time: the transaction lasts longer (idle after the last sample).
    const longer = total({ ...base, end: end + Math.round(1 + r() * 90) * MIN });
    assert.ok(longer >= before, `run ${run}: ${longer} < ${before} with more time`);
    // More energy: every reading after the first grows by the same factor (> 1).
    const factor = 1 + r();
    const more = samples.map((s, i) => (i === 0 ? s : { ...s, energyWh: Math.round(s.energyWh * factor) }));
    const moreEnergy = total({ ...base, samples: more });
    assert.ok(moreEnergy >= before, `run ${run}: ${moreEnergy} < ${before} with more energy`);
  }
});

test.run();
