// R04's selection of DER controls as tables, written from the requirement text: which controls a new one
// supersedes (SetDERControlResponse.supersededIds), which one is executed per controlType, and what the timeline
// reports (NotifyDERStartStop). Lower priority value = more important (R04.FR.03 note).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DerControl } from '../../runtime/station/R-der/controls.js';
import { advance, inForce, setControl } from '../../runtime/station/R-der/select.js';

const T0 = Date.UTC(2026, 0, 1, 12);
const MIN = 60_000;

/** A FreqDroop control; scheduled ones start `start` minutes from T0 and last `minutes`. */
function ctl(
  id: string,
  o: { isDefault?: boolean; priority: number; start?: number; minutes?: number; superseded?: boolean; at?: number },
): DerControl {
  const scheduled = o.isDefault === false || o.start !== undefined;
  return {
    id,
    controlType: 'FreqDroop',
    isDefault: !scheduled,
    isSuperseded: o.superseded ?? false,
    receivedAt: o.at ?? T0,
    field: 'freqDroop',
    setting: {
      priority: o.priority,
      overFreq: 50.2,
      underFreq: 49.8,
      overDroop: 5,
      underDroop: 5,
      responseTime: 1,
      ...(scheduled ? { startTime: new Date(T0 + (o.start ?? 0) * MIN).toISOString() } : {}),
      ...(scheduled && o.minutes !== undefined ? { duration: o.minutes * 60 } : {}),
    },
  };
}

interface SetRow {
  name: string;
  existing: DerControl[];
  incoming: DerControl;
  /** Minutes after T0 at which the new control arrives. */
  now?: number;
  supersededIds: string[];
  /** The ids marked superseded after the Set. */
  superseded: string[];
  /** The id executed right after the Set (undefined: none). */
  executed: string | undefined;
}

const setTable: SetRow[] = [
  {
    name: 'R04.FR.02 the first default of its type is accepted and executed',
    existing: [],
    incoming: ctl('D1', { priority: 5 }),
    supersededIds: [],
    superseded: [],
    executed: 'D1',
  },
  {
    name: 'R04.FR.03 a default with a lower priority value supersedes the existing default',
    existing: [ctl('D1', { priority: 5 })],
    incoming: ctl('D2', { priority: 2 }),
    supersededIds: ['D1'],
    superseded: ['D1'],
    executed: 'D2',
  },
  {
    name: 'R04.FR.03 (same priority) the newer default replaces the older one',
    existing: [ctl('D1', { priority: 5 })],
    incoming: ctl('D2', { priority: 5, at: T0 + 1 }),
    supersededIds: ['D1'],
    superseded: ['D1'],
    executed: 'D2',
  },
  {
    name: 'R04.FR.08 (defaults) a default with a higher priority value is itself superseded',
    existing: [ctl('D1', { priority: 1 })],
    incoming: ctl('D2', { priority: 5 }),
    supersededIds: ['D2'],
    superseded: ['D2'],
    executed: 'D1',
  },
  {
    name: 'R04.FR.04 a new default while a scheduled control is active: the scheduled one goes on',
    existing: [ctl('S1', { priority: 5, start: -10, minutes: 60 })],
    incoming: ctl('D1', { priority: 1 }),
    supersededIds: [],
    superseded: [],
    executed: 'S1',
  },
  {
    name: 'R04.FR.05 the first scheduled control of its type is accepted',
    existing: [ctl('D1', { priority: 5 })],
    incoming: ctl('S1', { priority: 5, start: 30, minutes: 60 }),
    supersededIds: [],
    superseded: [],
    executed: 'D1',
  },
  {
    name: 'R04.FR.06 a scheduled control not yet active with a higher priority value is superseded at once, even if the new one starts later',
    existing: [ctl('S1', { priority: 5, start: 30, minutes: 60 })],
    incoming: ctl('S2', { priority: 2, start: 120, minutes: 60 }),
    supersededIds: ['S1'],
    superseded: ['S1'],
    executed: undefined,
  },
  {
    name: 'R04.FR.07 an active scheduled control with a higher priority value runs on until the new one starts',
    existing: [ctl('S1', { priority: 5, start: -10, minutes: 120 })],
    incoming: ctl('S2', { priority: 2, start: 30, minutes: 60 }),
    supersededIds: [],
    superseded: [],
    executed: 'S1',
  },
  {
    name: 'R04.FR.08 a new control with a higher priority value than the active one is superseded at once',
    existing: [ctl('S1', { priority: 2, start: -10, minutes: 120 })],
    incoming: ctl('S2', { priority: 5, start: 0, minutes: 60 }),
    supersededIds: ['S2'],
    superseded: ['S2'],
    executed: 'S1',
  },
  {
    name: 'R04.FR.09 a superseded control is never executed, not even when no other is',
    existing: [ctl('S1', { priority: 2, start: 60, minutes: 120 })],
    incoming: ctl('S2', { priority: 5, start: 0, minutes: 30 }),
    supersededIds: ['S2'],
    superseded: ['S2'],
    executed: undefined,
  },
  {
    name: 'scheduled controls at the same priority are kept side by side (a calendar)',
    existing: [ctl('S1', { priority: 3, start: 0, minutes: 30 })],
    incoming: ctl('S2', { priority: 3, start: 60, minutes: 30 }),
    supersededIds: [],
    superseded: [],
    executed: 'S1',
  },
  {
    name: 'a control with a known id replaces the stored one',
    existing: [ctl('D1', { priority: 5 })],
    incoming: ctl('D1', { priority: 7 }),
    supersededIds: [],
    superseded: [],
    executed: 'D1',
  },
];

// One test over the table, named by every requirement it checks (the status table reads literal test names).
test('R04.FR.02 R04.FR.03 R04.FR.04 R04.FR.05 R04.FR.06 R04.FR.07 R04.FR.08 R04.FR.09 the supersession table', () => {
  for (const row of setTable) {
    const now = T0 + (row.now ?? 0) * MIN;
    // The timeline is brought up to date before a Set, as the use case does.
    const before = advance(row.existing, [], now).controls;
    const out = setControl(before, row.incoming, now);
    assert.equal(out.supersededIds, row.supersededIds, `${row.name}: supersededIds`);
    assert.equal(
      out.controls.filter((c) => c.isSuperseded).map((c) => c.id),
      row.superseded,
      `${row.name}: superseded`,
    );
    const after = advance(out.controls, [], now).controls;
    assert.equal(inForce(after, now)[0]?.id, row.executed, `${row.name}: executed`);
  }
});

test('R04.FR.07 R04.FR.21 R04.FR.20 at the new control start the active one is superseded and reported in NotifyDERStartStop', () => {
  let { controls, started } = advance([ctl('S1', { priority: 5, start: -10, minutes: 120 })], [], T0);
  assert.equal(started, ['S1']);
  ({ controls } = setControl(controls, ctl('S2', { priority: 2, start: 30, minutes: 60 }), T0));
  const at = T0 + 30 * MIN;
  const next = advance(controls, started, at);
  assert.equal(next.notifications, [
    { controlId: 'S2', started: true, timestamp: new Date(at).toISOString(), supersededIds: ['S1'] },
  ]);
  assert.ok(next.controls.find((c) => c.id === 'S1')!.isSuperseded);
  assert.equal(inForce(next.controls, at)[0]?.id, 'S2');
  // S2 ends at 90 min and is reported; S1, superseded, is not (R04.FR.22) and does not come back (R04.FR.09).
  const end = advance(next.controls, next.started, T0 + 100 * MIN);
  assert.equal(
    end.notifications.map((n) => [n.controlId, n.started]),
    [['S2', false]],
  );
  assert.equal(inForce(end.controls, T0 + 100 * MIN), []);
});

test('R04.FR.22 R04.FR.10 R04.FR.11 a scheduled control ends: reported, deleted, and the default is executed again', () => {
  const list = [ctl('D1', { priority: 5 }), ctl('S1', { priority: 5, start: 10, minutes: 20 })];
  const a = advance(list, [], T0 + 10 * MIN);
  assert.equal(
    a.notifications.map((n) => [n.controlId, n.started]),
    [['S1', true]],
  );
  assert.equal(inForce(a.controls, T0 + 10 * MIN)[0]?.id, 'S1');
  const end = T0 + 30 * MIN;
  const b = advance(a.controls, a.started, end);
  assert.equal(b.notifications, [{ controlId: 'S1', started: false, timestamp: new Date(end).toISOString() }]);
  assert.equal(
    b.controls.map((c) => c.id),
    ['D1'],
  );
  assert.equal(b.started, []);
  assert.equal(inForce(b.controls, end)[0]?.id, 'D1');
});

test('R04.FR.20 a scheduled control is reported started once, not again on the next advance', () => {
  const a = advance([ctl('S1', { priority: 1, start: 0, minutes: 10 })], [], T0);
  assert.is(a.notifications.length, 1);
  const b = advance(a.controls, a.started, T0 + MIN);
  assert.is(b.notifications.length, 0);
});

test('R04.FR.11 one control per type: a scheduled control of another type does not hide a default', () => {
  const volt: DerControl = {
    id: 'V1',
    controlType: 'VoltVar',
    isDefault: true,
    isSuperseded: false,
    receivedAt: T0,
    field: 'curve',
    setting: {
      priority: 1,
      yUnit: 'PctMaxVar',
      curveData: [
        { x: 0.9, y: 30 },
        { x: 1.1, y: -30 },
      ],
    },
  };
  const list = [volt, ctl('S1', { priority: 5, start: 0, minutes: 10 })];
  assert.equal(
    inForce(advance(list, [], T0).controls, T0).map((c) => c.id),
    ['S1', 'V1'],
  );
});

test.run();
