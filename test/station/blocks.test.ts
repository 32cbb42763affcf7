// The block registration (runtime/station/blocks.ts): what the blocks declare in core/registry.ts reaches a package
// consumer only through blocks.ts's side-effect imports (kept in the .d.ts), so every declaring module is listed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { useCasesFor, type BlockContext } from '../../runtime/station/blocks.js';
import { networkOptions } from '../../runtime/station/B-provisioning/network-profile.js';
import type { ChargingStationOptions } from '../../runtime/station/options.js';

const station = join(import.meta.dirname, '../../runtime/station');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every module that declares events, queries or hardware operations is imported for its side effect by blocks.ts', () => {
  const declaring = files(station)
    .filter((f) => /^declare module '/m.test(readFileSync(f, 'utf8')))
    .map((f) => `./${relative(station, f).replace(/\.ts$/, '.js')}`)
    .sort();
  const blocks = readFileSync(join(station, 'blocks.ts'), 'utf8');
  const imported = [...blocks.matchAll(/^import '([^']+)';$/gm)].map((m) => m[1]).sort();
  assert.ok(declaring.length >= 8, `found ${declaring.length} declaring modules`);
  assert.equal(imported, declaring);
});

// Issue 18: a fleet's stations share the use cases built from the same config instead of one closing over each.
const contextOf = (identity: string, info: ChargingStationOptions['info']): BlockContext => {
  const options: ChargingStationOptions = {
    identity,
    csms: { url: 'ws://127.0.0.1:1/ocpp' },
    versions: ['ocpp2.0.1'],
    info,
    supplyPhases: 3,
    evses: [{ id: 1, connectors: [{ id: 1 }] }],
    store: { path: ':memory:' },
  };
  return {
    options,
    versions: ['ocpp2.0.1'],
    network: networkOptions(options),
    deviceModel: () => {
      throw new Error('not asked while building');
    },
    triggerable: () => new Set(),
    canTrigger: () => true,
  };
};
const named = (ctx: BlockContext, name: string) => useCasesFor(ctx).find((uc) => uc.name === name);

test('stations built with the same config share a use case; another config gets its own, made from a copy', () => {
  const info = { model: 'M', vendorName: 'V' };
  const a = contextOf('A', info);
  const b = contextOf('B', { model: 'M', vendorName: 'V' });
  const c = contextOf('C', { model: 'M', vendorName: 'V', serialNumber: 'S-3' });
  for (const name of [
    'boot',
    'network',
    'reset',
    'device-model',
    'trigger',
    'localList',
    'remoteControl',
    'getLog',
    'monitoring',
  ])
    assert.ok(named(a, name) === named(b, name), `${name} is shared`);
  assert.ok(named(a, 'boot') !== named(c, 'boot'), 'another BootNotification, another boot use case');
  // What the integrator changes in one station's options later does not reach the use case the others share.
  info.model = 'changed';
  const boot = named(b, 'boot')!;
  const step = boot.on!(boot.init(undefined as never, undefined), { type: 'connected', version: 'ocpp2.0.1' }, {
    now: () => 0,
    variables: { int: () => undefined, bool: () => undefined, string: () => undefined, list: () => undefined },
    query: {},
    connected: true,
    version: 'ocpp2.0.1',
  } as never);
  const send = step?.effects?.find((e) => e.type === 'send');
  assert.equal(send?.type === 'send' && send.action === 'BootNotification' ? send.payload.chargingStation : undefined, {
    model: 'M',
    vendorName: 'V',
  });
});

test.run();
