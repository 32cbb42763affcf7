// Part 6 test cases of block O (display messages) and the O requirements, over real sockets against the built-in
// CSMS: SetDisplayMessage checked against what the display supports, kept in the SQLite store, GetDisplayMessages
// with NotifyDisplayMessages in parts, ClearDisplayMessage, and what reaches the display (`hardware.showDisplay`)
// as windows open and close, transactions end and the station's state changes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';
import type { DisplayScreen } from '../../runtime/station/O-display/messages.js';
import { MESSAGES_PER_NOTIFY } from '../../runtime/station/O-display/display.js';
import type { DisplayOptions } from '../../runtime/station/O-display/settings.js';

type DisplayPair = TxPair & { screens: DisplayScreen[]; screen(): DisplayScreen | undefined };

/** A pair whose station has a display; `screens` records every showDisplay call. */
async function withDisplay(
  options: TxPairOptions & { display?: DisplayOptions },
  body: (p: DisplayPair) => Promise<void>,
): Promise<void> {
  const screens: DisplayScreen[] = [];
  await withTxPair(
    {
      ...options,
      station: {
        ...options.station,
        ...(options.display ? { display: options.display } : {}),
        hardware: { showDisplay: (screen) => void screens.push(screen) },
      },
    },
    async (p) => {
      const dp = p as DisplayPair;
      dp.screens = screens;
      dp.screen = () => screens[screens.length - 1];
      await body(dp);
    },
  );
}

const text = (content: string, extra: Record<string, unknown> = {}) => ({ format: 'UTF8', content, ...extra });
const message = (id: number, extra: Record<string, unknown> = {}) => ({
  id,
  priority: 'NormalCycle',
  message: text(`message ${id}`),
  ...extra,
});
const set = (p: TxPair, m: unknown) => p.call('SetDisplayMessage', { message: m });
const shownIds = (p: DisplayPair) => p.screen()?.messages.map((m) => m.id) ?? [];

/** Waits until the display shows what `match` wants (the callback may come just after the CALLRESULT). */
async function until(p: DisplayPair, match: (s: DisplayScreen) => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const s = p.screen();
    if (s && match(s)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.unreachable(`the display never showed ${what}; last: ${JSON.stringify(p.screen())}`);
}
const showing = (p: DisplayPair, ids: number[]) =>
  until(p, (s) => JSON.stringify(s.messages.map((m) => m.id)) === JSON.stringify(ids), `messages ${ids}`);

/** The NotifyDisplayMessages of one GetDisplayMessages, once the last (tbc absent) arrived. */
async function notified(p: TxPair, requestId: number): Promise<any[]> {
  await p.waitFor('NotifyDisplayMessages', (m: any) => m.request.requestId === requestId && !m.request.tbc);
  return p
    .sent('NotifyDisplayMessages')
    .map((m) => m.request as any)
    .filter((r) => r.requestId === requestId);
}

async function get(p: TxPair, request: Record<string, unknown>): Promise<{ status: string; messages: any[] }> {
  const r = await p.call('GetDisplayMessages', request);
  if (r.status !== 'Accepted') return { status: r.status, messages: [] };
  const parts = await notified(p, request.requestId as number);
  return { status: r.status, messages: parts.flatMap((n) => n.messageInfo) };
}

test('TC_O_01_CS O01.FR.12 a NormalCycle message: Accepted, shown on the display, reported as set', async () => {
  await withDisplay({}, async (p) => {
    const m = message(11, { message: text('Welcome') });
    assert.equal(await set(p, m), { status: 'Accepted' });
    await showing(p, [11]);
    assert.equal(p.screen()!.messages[0], { id: 11, priority: 'NormalCycle', message: text('Welcome') });
    const got = await get(p, { requestId: 5, id: [11] });
    assert.is(got.status, 'Accepted');
    assert.equal(got.messages, [m]);
  });
});

test(`TC_O_02_CS O03.FR.01 O03.FR.02 O03.FR.03 O03.FR.04 O03.FR.05 all messages, ${MESSAGES_PER_NOTIFY} per NotifyDisplayMessages, tbc on all but the last`, async () => {
  await withDisplay({}, async (p) => {
    const count = 2 * MESSAGES_PER_NOTIFY + 1;
    for (let id = 1; id <= count; id++) assert.is((await set(p, message(id))).status, 'Accepted');
    assert.equal(await p.call('GetDisplayMessages', { requestId: 42 }), { status: 'Accepted' });
    const parts = await notified(p, 42);
    assert.equal(
      parts.map((n) => [n.messageInfo.length, n.tbc]),
      [
        [MESSAGES_PER_NOTIFY, true],
        [MESSAGES_PER_NOTIFY, true],
        [1, undefined],
      ],
    );
    assert.equal(
      parts.flatMap((n) => n.messageInfo.map((m: any) => m.id)).sort((a, b) => a - b),
      [...Array.from({ length: count }, (_, i) => i + 1)],
    );
  });
});

test('TC_O_03_CS O03.FR.06 TC_O_33_CS O04.FR.07 no messages configured: Unknown, no NotifyDisplayMessages', async () => {
  await withDisplay({}, async (p) => {
    assert.equal(await p.call('GetDisplayMessages', { requestId: 1 }), { status: 'Unknown' });
    assert.equal(await p.call('GetDisplayMessages', { requestId: 2, id: [3] }), { status: 'Unknown' });
    // A later request that is answered shows nothing of the first two was sent.
    await set(p, message(9));
    await get(p, { requestId: 3 });
    assert.equal(
      p.sent('NotifyDisplayMessages').map((m: any) => m.request.requestId),
      [3],
    );
  });
});

test('TC_O_04_CS O05.FR.01 ClearDisplayMessage: Accepted, gone from the display and from GetDisplayMessages', async () => {
  await withDisplay({}, async (p) => {
    await set(p, message(1));
    await set(p, message(2));
    await showing(p, [1, 2]);
    assert.equal(await p.call('ClearDisplayMessage', { id: 1 }), { status: 'Accepted' });
    await showing(p, [2]);
    assert.equal(await p.call('GetDisplayMessages', { requestId: 1, id: [1] }), { status: 'Unknown' });
  });
});

test('TC_O_05_CS O05.FR.02 ClearDisplayMessage of an unknown id: Unknown', async () => {
  await withDisplay({}, async (p) => {
    await set(p, message(1));
    assert.equal(await p.call('ClearDisplayMessage', { id: 77 }), { status: 'Unknown' });
    assert.is((await get(p, { requestId: 1 })).messages.length, 1);
  });
});

test('TC_O_06_CS O02.FR.02 O02.FR.14 a message for the transaction is shown while it runs and removed when it ends', async () => {
  await withDisplay({}, async (p) => {
    const transactionId = await states.energyTransferStarted(p);
    assert.equal(await set(p, message(5, { transactionId })), { status: 'Accepted' });
    await showing(p, [5]);
    p.station.stopTransaction(1);
    await p.waitTx((r) => r.eventType === 'Ended');
    await showing(p, []);
    assert.equal(await p.call('GetDisplayMessages', { requestId: 1, id: [5] }), { status: 'Unknown' });
  });
});

test('TC_O_07_CS TC_O_08_CS TC_O_09_CS O04.FR.01 O04.FR.03 O04.FR.04 O04.FR.05 O04.FR.06 by id, by priority, by state', async () => {
  await withDisplay({}, async (p) => {
    await set(p, message(1, { priority: 'InFront' }));
    await set(p, message(2, { state: 'Idle' }));
    await set(p, message(3, { priority: 'InFront', state: 'Charging' }));
    const ids = async (requestId: number, query: object) =>
      (await get(p, { requestId, ...query })).messages.map((m) => m.id).sort();
    assert.equal(await ids(1, { id: [2, 3] }), [2, 3]);
    assert.equal(await ids(2, { priority: 'InFront' }), [1, 3]);
    assert.equal(await ids(3, { state: 'Idle' }), [2]);
    assert.equal(await ids(4, { priority: 'InFront', state: 'Charging' }), [3]);
  });
});

test('TC_O_10_CS O02.FR.01 a message for an unknown transaction: UnknownTransaction, nothing stored', async () => {
  await withDisplay({}, async (p) => {
    assert.equal(await set(p, message(4, { transactionId: 'no-such-tx' })), { status: 'UnknownTransaction' });
    assert.equal(await p.call('GetDisplayMessages', { requestId: 1 }), { status: 'Unknown' });
  });
});

test('TC_O_11_CS TC_O_34_CS TC_O_35_CS O04.FR.02 a query nothing matches (other id, known id with another state or priority): Unknown', async () => {
  await withDisplay({}, async (p) => {
    await set(p, message(1, { state: 'Idle' }));
    assert.equal(await p.call('GetDisplayMessages', { requestId: 1, id: [2] }), { status: 'Unknown' });
    assert.equal(await p.call('GetDisplayMessages', { requestId: 2, id: [1], state: 'Charging' }), {
      status: 'Unknown',
    });
    assert.equal(await p.call('GetDisplayMessages', { requestId: 3, id: [1], priority: 'InFront' }), {
      status: 'Unknown',
    });
  });
});

test('TC_O_12_CS O06.FR.01 the same id replaces the message with all its parameters', async () => {
  await withDisplay({}, async (p) => {
    await set(p, message(1, { state: 'Idle', message: text('old') }));
    const replacement = message(1, { priority: 'InFront', message: text('new') });
    assert.equal(await set(p, replacement), { status: 'Accepted' });
    await until(p, (s) => s.messages[0]?.message.content === 'new', 'the new content');
    assert.equal((await get(p, { requestId: 1 })).messages, [replacement]);
  });
});

test('TC_O_13_CS O01.FR.06 O01.FR.05 not shown before startDateTime, shown from it', async () => {
  await withDisplay({ manualClock: true }, async (p) => {
    const startDateTime = new Date(p.clock!.now() + 60_000).toISOString();
    assert.equal(await set(p, message(1, { startDateTime })), { status: 'Accepted' });
    await until(p, () => true, 'anything');
    assert.equal(shownIds(p), []);
    const got = await get(p, { requestId: 1 });
    assert.is(got.messages[0].startDateTime, startDateTime);
    await p.advance(61_000);
    await showing(p, [1]);
  });
});

test('TC_O_14_CS O01.FR.07 shown until endDateTime, then removed', async () => {
  await withDisplay({ manualClock: true }, async (p) => {
    const endDateTime = new Date(p.clock!.now() + 60_000).toISOString();
    assert.equal(await set(p, message(1, { endDateTime })), { status: 'Accepted' });
    await showing(p, [1]);
    assert.is((await get(p, { requestId: 1 })).messages[0].endDateTime, endDateTime);
    await p.advance(61_000);
    await showing(p, []);
    assert.equal(await p.call('GetDisplayMessages', { requestId: 2, id: [1] }), { status: 'Unknown' });
  });
});

test("TC_O_15_CS O01.FR.08 the driver's language (idTokenInfo.language1) reaches the display", async () => {
  await withDisplay({}, async (p) => {
    p.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Accepted', language1: 'nl', language2: 'de' } }));
    await states.energyTransferStarted(p);
    assert.equal(await set(p, message(1)), { status: 'Accepted' });
    await until(p, (s) => s.messages.length === 1 && s.languages[0] === 'nl', 'the language nl');
    assert.equal(p.screen()!.languages, ['nl', 'de']);
  });
});

test('TC_O_17_CS O01.FR.01 O02.FR.03 a priority the display does not support: NotSupportedPriority, nothing stored', async () => {
  await withDisplay({ display: { priorities: ['NormalCycle', 'InFront'] } }, async (p) => {
    assert.equal(await set(p, message(1, { priority: 'AlwaysFront' })), { status: 'NotSupportedPriority' });
    assert.equal(await p.call('GetDisplayMessages', { requestId: 1 }), { status: 'Unknown' });
  });
});

test('TC_O_18_CS O01.FR.02 O02.FR.04 a state the display does not support: NotSupportedState, nothing stored', async () => {
  await withDisplay({ display: { states: ['Idle', 'Charging'] } }, async (p) => {
    assert.equal(await set(p, message(1, { state: 'Faulted' })), { status: 'NotSupportedState' });
    assert.equal(await p.call('GetDisplayMessages', { requestId: 1 }), { status: 'Unknown' });
  });
});

test('TC_O_19_CS O01.FR.03 O02.FR.05 a format the display does not render (HTML by default): NotSupportedMessageFormat', async () => {
  await withDisplay({}, async (p) => {
    assert.equal(await set(p, message(1, { message: { format: 'HTML', content: '<b>hi</b>' } })), {
      status: 'NotSupportedMessageFormat',
    });
    assert.equal(await p.call('GetDisplayMessages', { requestId: 1 }), { status: 'Unknown' });
  });
});

test('TC_O_20_CS O01.FR.10 O02.FR.10 the messages survive a reboot and are shown again', async () => {
  await withDisplay({}, async (p) => {
    const m = message(3, { priority: 'InFront' });
    await set(p, m);
    await showing(p, [3]);
    p.screens.length = 0;
    const reported = p.sent('StatusNotification').length;
    await p.restart();
    await showing(p, [3]);
    // Booted again: the connector statuses follow the accepted BootNotification.
    await until(p, () => p.sent('StatusNotification').length > reported, 'a reconnection');
    assert.equal((await get(p, { requestId: 1 })).messages, [m]);
  });
});

test('TC_O_22_CS O01.FR.13 O01.FR.14 two InFront messages are both shown, ahead of the normal cycle', async () => {
  await withDisplay({}, async (p) => {
    await set(p, message(1));
    await set(p, message(2, { priority: 'InFront' }));
    await set(p, message(3, { priority: 'InFront' }));
    await showing(p, [2, 3, 1]);
    assert.equal((await get(p, { requestId: 1, id: [2] })).messages.length, 1);
    assert.equal((await get(p, { requestId: 2, id: [3] })).messages.length, 1);
  });
});

test('TC_O_24_CS TC_O_32_CS O01.FR.15 O01.FR.16 O02.FR.17 O02.FR.18 a second AlwaysFront message replaces the first, which shows first', async () => {
  await withDisplay({}, async (p) => {
    await set(p, message(1, { priority: 'InFront' }));
    await set(p, message(2, { priority: 'AlwaysFront' }));
    await showing(p, [2, 1]);
    assert.equal(await set(p, message(3, { priority: 'AlwaysFront' })), { status: 'Accepted' });
    await showing(p, [3, 1]);
    assert.equal(await p.call('GetDisplayMessages', { requestId: 1, id: [2] }), { status: 'Unknown' });
    assert.is((await get(p, { requestId: 2, id: [3] })).messages.length, 1);
  });
});

test('TC_O_36_CS TC_O_37_CS state Charging is shown only while a transaction runs, state Idle only while none does', async () => {
  await withDisplay({}, async (p) => {
    await set(p, message(1, { state: 'Charging' }));
    await set(p, message(2, { state: 'Idle' }));
    await showing(p, [2]);
    await states.energyTransferStarted(p);
    await showing(p, [1]);
    p.station.stopTransaction(1);
    await p.waitTx((r) => r.eventType === 'Ended');
    states.evDisconnected(p);
    await showing(p, [2]);
    assert.equal(
      (await get(p, { requestId: 1, state: 'Charging' })).messages.map((m) => m.state),
      ['Charging'],
    );
  });
});

test('TC_O_38_CS state Unavailable is shown while the station is Inoperative', async () => {
  await withDisplay({}, async (p) => {
    await set(p, message(1, { state: 'Unavailable' }));
    await until(p, () => true, 'anything');
    assert.equal(shownIds(p), []);
    assert.equal(await p.call('ChangeAvailability', { operationalStatus: 'Inoperative' }), { status: 'Accepted' });
    await showing(p, [1]);
    assert.equal(await p.call('ChangeAvailability', { operationalStatus: 'Operative' }), { status: 'Accepted' });
    await showing(p, []);
  });
});

test('TC_O_39_CS state Faulted is shown while a connector is faulted', async () => {
  await withDisplay({}, async (p) => {
    await set(p, message(1, { state: 'Faulted' }));
    await until(p, () => true, 'anything');
    assert.equal(shownIds(p), []);
    p.station.connectorFaulted(1);
    await showing(p, [1]);
    p.station.connectorRecovered(1);
    await showing(p, []);
  });
});

test('O01.FR.11 O02.FR.11 beyond NumberOfDisplayMessages.maxLimit: Rejected, nothing stored; replacing stays possible', async () => {
  await withDisplay({ display: { maxMessages: 2 } }, async (p) => {
    await set(p, message(1));
    await set(p, message(2));
    const r = await set(p, message(3));
    assert.is(r.status, 'Rejected');
    assert.equal(await p.call('GetDisplayMessages', { requestId: 1, id: [3] }), { status: 'Unknown' });
    assert.equal(await set(p, message(2, { message: text('again') })), { status: 'Accepted' });
    const dm = await p.call('GetVariables', {
      getVariableData: [{ component: { name: 'DisplayMessageCtrlr' }, variable: { name: 'DisplayMessages' } }],
    });
    assert.is(dm.getVariableResult[0].attributeValue, '2');
  });
});

test('O01.FR.17 a language that is no RFC 5646 tag (2.0.1): Rejected, nothing stored', async () => {
  await withDisplay({}, async (p) => {
    const r = await set(p, message(1, { message: text('hallo', { language: 'e1' }) }));
    assert.is(r.status, 'Rejected');
    assert.equal(await p.call('GetDisplayMessages', { requestId: 1 }), { status: 'Unknown' });
  });
});

test("TC_O_27_CS TC_O_28_CS TC_O_30_CS O02.FR.06 O02.FR.07 O02.FR.12 O02.FR.15 O02.FR.16 O02.FR.08 messages for the transaction: their windows, their language tags, InFront ahead of the normal cycle, the driver's language", async () => {
  await withDisplay({ manualClock: true }, async (p) => {
    p.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Accepted', language1: 'de' } }));
    const transactionId = await states.energyTransferStarted(p);
    const now = p.clock!.now();
    const at = (ms: number) => new Date(now + ms).toISOString();
    assert.equal(await set(p, message(1, { transactionId })), { status: 'Accepted' });
    assert.equal(await set(p, message(2, { transactionId, priority: 'InFront', startDateTime: at(30_000) })), {
      status: 'Accepted',
    });
    assert.equal(await set(p, message(3, { transactionId, priority: 'InFront', endDateTime: at(50_000) })), {
      status: 'Accepted',
    });
    const bad = await set(p, message(4, { transactionId, message: text('x', { language: 'e1' }) }));
    assert.is(bad.status, 'Rejected');
    await showing(p, [3, 1]);
    assert.equal(p.screen()!.languages, ['de']);
    await p.advance(31_000);
    await showing(p, [2, 3, 1]);
    await p.advance(20_000);
    await showing(p, [2, 1]);
  });
});

const V21 = { csms: { versions: ['ocpp2.1' as const] }, station: { versions: ['ocpp2.1' as const] } };

test('O01.FR.18 (2.1) a language outside DisplayMessageCtrlr.Language: LanguageNotSupported, nothing stored', async () => {
  await withDisplay({ ...V21, display: { languages: ['en', 'nl'] } }, async (p) => {
    const r = await set(p, message(1, { message: text('Bonjour', { language: 'fr' }) }));
    assert.is(r.status, 'LanguageNotSupported');
    assert.equal(await p.call('GetDisplayMessages', { requestId: 1 }), { status: 'Unknown' });
  });
});

test("O01.FR.09 O01.FR.19 (2.1) messageExtra in other languages: DisplayMessageCtrlr.Language is always present in 2.1, so it is accepted; English before a driver is known, then the driver's language", async () => {
  const extra = message(1, {
    message: text('Bienvenue', { language: 'fr' }),
    messageExtra: [text('Welcome', { language: 'en' }), text('Welkom', { language: 'nl' })],
  });
  await withDisplay(V21, async (p) => {
    p.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Accepted', language1: 'nl' } }));
    assert.equal(await set(p, extra), { status: 'Accepted' });
    await until(p, (s) => s.messages[0]?.message.content === 'Welcome', 'English before a driver is known');
    await states.energyTransferStarted(p);
    await until(p, (s) => s.messages[0]?.message.content === 'Welkom', "the driver's Dutch");
    assert.equal((await get(p, { requestId: 1 })).messages, [extra]);
  });
});

test.run();
