// @serial
// @timeout 600
// What an integrator does: build, `npm pack`, install the tarball into a fresh project, import `ocppkit/v201`,
// type-check with the repository's tsc (module NodeNext, declarations checked too) and validate a message at run
// time. Also: the installed `ocppkit/v201` loads no other version and no validator of another action.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { traceModules } from '../support/module-trace.js';

const root = resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);
mkdirSync(join(root, '.tmp'), { recursive: true });
const work = mkdtempSync(join(root, '.tmp', 'consumer-'));
const project = join(work, 'project');
const tsc = join(root, 'node_modules/typescript/bin/tsc');

async function sh(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return exec(cmd, args, { cwd, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } })
    .then((r) => ({ code: 0, out: r.stdout + r.stderr }))
    .catch((e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: `${e.stdout}${e.stderr}` }));
}

const consumer = `import { validateRequest, validateResponse, protocol, type BootNotificationRequest, type CsmsHandlers } from 'ocppkit/v201';
import { RegistrationStatusEnumType } from 'ocppkit/v201/enums';

const boot: BootNotificationRequest = { reason: 'PowerUp', chargingStation: { model: 'AC22-Wallbox', vendorName: 'ocppkit' } };
const handlers: Pick<CsmsHandlers<{ id: string }>, 'BootNotification'> = {
  BootNotification: (request, ctx) => ({ currentTime: new Date(0).toISOString(), interval: ctx.id && request.reason ? 300 : 60, status: 'Accepted' }),
};
const ok = validateRequest('BootNotification', boot);
const answer = validateResponse('BootNotification', handlers.BootNotification(boot, { id: 'CS-1' }));
const tooLong = validateRequest('BootNotification', { ...boot, chargingStation: { ...boot.chargingStation, model: 'M'.repeat(21) } });
console.log(JSON.stringify({
  ok: ok.ok,
  answer: answer.ok ? answer.value.status : answer.error.message,
  tooLong: tooLong.ok ? null : tooLong.error,
  actions: Object.keys(protocol.actions).length,
  statuses: RegistrationStatusEnumType.filter((s: RegistrationStatusEnumType) => s !== 'Pending'),
}));
`;
const broken = `import { validateRequest, type BootNotificationRequest } from 'ocppkit/v201';
export const boot: BootNotificationRequest = { reason: 'PowerUp', chargingStation: { model: 42, vendorName: 'V' } };
validateRequest('NoSuchAction', {});
`;

const tscArgs = [
  '--strict',
  '--module',
  'NodeNext',
  '--moduleResolution',
  'NodeNext',
  '--target',
  'ES2022',
  '--types',
  'node',
  '--typeRoots',
  join(root, 'node_modules/@types'),
];

test('built, packed and installed into a fresh project, ocppkit/v201 (and its enums entry) type-checks under NodeNext and validates at run time', async () => {
  const build = await sh(process.execPath, [join(root, 'scripts/build.mjs')], root);
  assert.is(build.code, 0, build.out);
  const pack = await sh('npm', ['pack', '--pack-destination', work, '--silent'], root);
  assert.is(pack.code, 0, pack.out);
  const tarball = readdirSync(work).find((n) => n.endsWith('.tgz'));
  assert.ok(tarball, `npm pack wrote a tarball: ${pack.out}`);

  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const install = await sh(
    'npm',
    [
      'install',
      join(work, tarball!),
      '--prefer-offline',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    project,
  );
  assert.is(install.code, 0, install.out);

  writeFileSync(join(project, 'consumer.ts'), consumer);
  const check = await sh(process.execPath, [tsc, ...tscArgs, '--outDir', 'out', 'consumer.ts'], project);
  assert.is(check.code, 0, `tsc on the consumer:\n${check.out}`);
  const run = await sh(process.execPath, ['out/consumer.js'], project);
  assert.is(run.code, 0, run.out);
  const result = JSON.parse(run.out.trim()) as {
    ok: boolean;
    answer: string;
    tooLong: { code: string; path: string; message: string };
    actions: number;
    statuses: string[];
  };
  assert.is(result.ok, true);
  assert.is(result.answer, 'Accepted');
  assert.equal(result.tooLong, {
    code: 'PropertyConstraintViolation',
    path: 'chargingStation.model',
    message: 'BootNotificationRequest.chargingStation.model: must be at most 20 characters',
    keyword: 'maxLength',
  });
  assert.is(result.actions, 64);
  assert.equal(result.statuses, ['Accepted', 'Rejected'], 'ocppkit/v201/enums: the enum as a value and as a type');
});

test('the installed types refuse a wrong field type and an unknown action (type-checking is real)', async () => {
  writeFileSync(join(project, 'broken.ts'), broken);
  const check = await sh(process.execPath, [tsc, ...tscArgs, '--noEmit', 'broken.ts'], project);
  assert.is(check.code, 2, check.out);
  assert.match(check.out, /broken\.ts\(2,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
  assert.match(check.out, /broken\.ts\(3,\d+\): error TS2345: Argument of type '"NoSuchAction"'/);
});

test('the installed ocppkit/v201 loads no v16 or v21 module, and validating BootNotification loads only its own chunks', async () => {
  const trace = await traceModules(
    project,
    `const m = await import('ocppkit/v201');
globalThis.result = m.validateRequest('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'X', vendorName: 'Y' } }).ok;`,
  );
  assert.is(trace.result, true);
  const loaded = [...trace.esm, ...trace.cjs].filter((p) => p.includes('node_modules/ocppkit/'));
  assert.ok(
    loaded.some((p) => p.endsWith('dist/generated/v201/index.js')),
    loaded.join('\n'),
  );
  for (const p of loaded) assert.ok(/dist\/(generated\/v201|runtime)\//.test(p), `loaded ${p}`);
  assert.not.ok(loaded.some((p) => p.includes('validators/TransactionEvent.cjs')));
});

// Every block's hardware operation (declared in the block's folder) is part of the installed HardwareCallbacks
// type; a misspelt one is refused.
const hardware = `import type { HardwareCallbacks } from 'ocppkit/station';

export const hardware: HardwareCallbacks = {
  reset: async (kind) => void kind,
  resetEvse: (evseId, kind) => void [evseId, kind],
  setConnectorAvailability: (evseId, connectorId, operative) => void [evseId, connectorId, operative],
  startCharging: (evseId, connectorId) => void [evseId, connectorId],
  stopCharging: (evseId) => void evseId,
  unlockConnector: async (evseId, connectorId) => evseId + connectorId > 0,
  readMeter: (evseId) => [{ value: evseId }],
};
// @ts-expect-error no block declares this operation
export const misspelt: HardwareCallbacks = { unlockConnecter: () => true };
`;

test('the installed ocppkit/station types every hardware callback the blocks declare, and only those', async () => {
  writeFileSync(join(project, 'hardware.ts'), hardware);
  const check = await sh(process.execPath, [tsc, ...tscArgs, '--noEmit', 'hardware.ts'], project);
  assert.is(check.code, 0, `tsc on the consumer:\n${check.out}`);
});

// Issue 19: a consumer compiles with `strict` and without `skipLibCheck`, having installed nothing beyond the
// package (no --types, no typeRoots of ours): the declarations' imports of ws and better-sqlite3 find their @types,
// which are dependencies of the package. A misspelt station event is an error that names it.
const strictStation = `import { ChargingStation, type ConnectorLayout } from 'ocppkit/station';
import { CsmsServer, openSqliteStore } from 'ocppkit';

const connector: ConnectorLayout = { id: 1, type: 'cCCS2' };
export function make(url: string): ChargingStation {
  const station = new ChargingStation({
    identity: 'CS-1',
    csms: { url },
    versions: ['ocpp2.0.1'],
    info: { model: 'M', vendorName: 'V' },
    supplyPhases: 3,
    evses: [{ id: 1, maxPower: 22000, connectors: [connector] }],
    store: openSqliteStore(':memory:'),
  });
  station.on('started', ({ reason }) => void reason);
  station.on('transactionStarted', ({ transactionId }) => void transactionId.length);
  return station;
}
export type Server = CsmsServer<[]>;
`;
const misspeltEvent = `import type { ChargingStation } from 'ocppkit/station';
export const listen = (s: ChargingStation) => s.on('transactionStart', () => {});
`;

test('issue 19: a strict consumer of ocppkit/station and ocppkit type-checks without skipLibCheck; a misspelt event is named', async () => {
  writeFileSync(join(project, 'strict-station.ts'), strictStation);
  writeFileSync(join(project, 'misspelt-event.ts'), misspeltEvent);
  const strict = ['--strict', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022'];
  const check = await sh(process.execPath, [tsc, ...strict, '--noEmit', 'strict-station.ts'], project);
  assert.is(check.code, 0, `tsc --strict (no skipLibCheck) on the consumer:\n${check.out}`);
  const misspelt = await sh(process.execPath, [tsc, ...strict, '--noEmit', 'misspelt-event.ts'], project);
  assert.is(misspelt.code, 2, misspelt.out);
  assert.match(
    misspelt.out,
    /misspelt-event\.ts\(2,\d+\): error TS2345: Argument of type '"transactionStart"' is not assignable to parameter of type '[^']*"transactionStarted"/,
  );
  assert.not.match(misspelt.out, /never/);
});

const composite = `import { compositeSchedule, type CompositeScheduleInput201 } from 'ocppkit/smart-charging';

const input: CompositeScheduleInput201 = {
  version: 'ocpp2.0.1',
  now: '2024-01-01T00:00:00Z',
  station: { evses: [{ id: 1 }], supplyPhases: 3, phases: 3, voltage: 230, maxCurrent: 32, maxPower: 22080, chargingRateUnits: ['A'] },
  profiles: [{ evseId: 0, chargingProfile: { id: 1, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative', chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }, { startPeriod: 600, limit: 16 }] }] } }],
  request: { evseId: 1, duration: 3600 },
};
const res = compositeSchedule(input);
console.log(JSON.stringify(res.schedule?.chargingSchedulePeriod.map((p) => [p.startPeriod, p.limit])));
`;

test('the installed ocppkit/smart-charging type-checks, computes a composite schedule and loads no generated version', async () => {
  writeFileSync(join(project, 'composite.ts'), composite);
  const check = await sh(process.execPath, [tsc, ...tscArgs, '--outDir', 'out', 'composite.ts'], project);
  assert.is(check.code, 0, `tsc on the consumer:\n${check.out}`);
  const run = await sh(process.execPath, ['out/composite.js'], project);
  assert.is(run.code, 0, run.out);
  assert.equal(JSON.parse(run.out.trim()), [
    [0, 10],
    [600, 16],
  ]);
  const trace = await traceModules(
    project,
    `const m = await import('ocppkit/smart-charging'); globalThis.result = typeof m.compositeSchedule;`,
  );
  assert.is(trace.result, 'function');
  const loaded = [...trace.esm, ...trace.cjs].filter((p) => p.includes('node_modules/ocppkit/'));
  assert.ok(
    loaded.some((p) => p.endsWith('dist/runtime/smart-charging/index.js')),
    loaded.join('\n'),
  );
  assert.equal(
    loaded.filter((p) => p.includes('/generated/')),
    [],
    'types only: no generated module at run time',
  );
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test('the installed ocppkit bin validates a fleet template against the schema the package ships (runtime/fleet/template.schema.json)', async () => {
  writeFileSync(join(project, 'fleet.json'), JSON.stringify({ stations: { evses: 'two' } }));
  const bin = join(project, 'node_modules', '.bin', 'ocppkit');
  const run = await sh(
    bin,
    ['fleet', '--csms', 'ws://127.0.0.1:9', '--stations', '1', '--template', 'fleet.json'],
    project,
  );
  assert.is(run.code, 2, run.out);
  assert.match(run.out, /stations\.evses/);
  assert.not.match(run.out, /ENOENT|Cannot find/);
});

test.run();
