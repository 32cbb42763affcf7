// Validation throughput on a realistic OCPP 2.0.1 mix, in one process, against the alternatives a CSMS developer
// would otherwise use: ocpp-rpc's validator (createValidator with its bundled ocpp2.0.1 schemas) and ajv compiling
// the OCA schemas at run time. One "mix" = the eight requests of benchMix201 (TransactionEvent with meter values,
// Heartbeat, MeterValues, StatusNotification, NotifyReport with 50 items, GetVariables with 20 items,
// SetChargingProfile with 24 periods, BootNotification).
//   make bench B=validation        (OCPP_SPEC_DIR for the runtime-compiled ajv row; skipped without it)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { cpus } from 'node:os';
import { protocol, validateRequest } from '../generated/v201/index.js';
import { benchMix201 } from '../test/support/realistic-messages.js';
import { type Rate, rate, table } from './lib/measure.js';

const require = createRequire(import.meta.url);
type Check = (action: string, payload: unknown) => boolean;

const contenders: Array<{ name: string; check: Check }> = [];

// ocppkit: the generated module, as an integrator calls it (a result object with the typed value)…
contenders.push({ name: 'ocppkit validateRequest', check: (a, p) => validateRequest(a as 'Heartbeat', p).ok });
// …and the precompiled validator function alone, as the RPC layer calls it.
contenders.push({
  name: 'ocppkit precompiled validator',
  check: (a, p) => protocol.actions[a as 'Heartbeat'].request(p),
});

// ocpp-rpc 2.2.1: its validator throws on invalid payloads and returns true otherwise.
const { createValidator } = require('ocpp-rpc') as {
  createValidator: (p: string, schemas: unknown) => { validate(id: string, p: unknown): boolean };
};
const rpc = createValidator('ocpp2.0.1', require('ocpp-rpc/lib/schemas/ocpp2_0_1.json'));
contenders.push({ name: 'ocpp-rpc createValidator', check: (a, p) => rpc.validate(`urn:${a}.req`, p) });

// ajv 8 compiling the OCA files at start-up (default options, ajv-formats), as most hand-rolled CSMSs do.
const specDir = resolve(process.env.OCPP_SPEC_DIR ?? join(import.meta.dirname, '..', '..', 'shared', 'ocpp-spec'));
const schemaDir = join(specDir, 'schemas', 'ocpp2.0.1');
if (existsSync(schemaDir)) {
  const { Ajv } = require('ajv') as typeof import('ajv');
  const addFormats = require('ajv-formats') as (a: InstanceType<typeof Ajv>) => void;
  const ajv = new Ajv({ strict: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  addFormats(ajv);
  for (const f of readdirSync(schemaDir)) ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, f), 'utf8')));
  const compiled = new Map<string, (p: unknown) => unknown>(
    benchMix201.map((m) => [m.action, ajv.getSchema(`urn:OCPP:Cp:2:2020:3:${m.action}Request`)!]),
  );
  contenders.push({ name: 'ajv compiled at run time (OCA schemas)', check: (a, p) => compiled.get(a)!(p) as boolean });
} else {
  console.log(`(no OCA schemas at ${schemaDir}: the runtime-compiled ajv row is skipped)`);
}

// A benchmark of validators that reject the input would measure error paths: every contender must accept all.
for (const c of contenders) {
  for (const m of benchMix201) {
    if (!c.check(m.action, m.payload)) throw new Error(`${c.name} rejects ${m.name}`);
  }
}

const mix = benchMix201.map((m) => [m.action, m.payload] as const);
// Other engineers' tests share these 2 cores: measure in interleaved rounds (rotating the order) and keep each
// contender's median round, so that a burst of load hits every contender alike.
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 5;
const rounds = new Map<string, Rate[]>(contenders.map((c) => [c.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < contenders.length; i++) {
    const c = contenders[(i + round) % contenders.length]!;
    rounds.get(c.name)!.push(
      rate(
        c.name,
        () => {
          for (const [a, p] of mix) c.check(a, p);
        },
        { ms: 400, warmupMs: round === 0 ? 300 : 50, batch: 100 },
      ),
    );
  }
}
const results: Rate[] = contenders.map((c) => {
  const rs = rounds.get(c.name)!.sort((a, b) => a.opsPerSec - b.opsPerSec);
  return rs[rs.length >> 1]!;
});
const others = results.filter((r) => !r.name.startsWith('ocppkit'));
const fastestOther = Math.max(...others.map((r) => r.opsPerSec));
console.log(
  `\nValidation throughput, OCPP 2.0.1 mix of ${mix.length} requests (${cpus()[0]?.model ?? 'cpu'}, Node ${process.version})\n`,
);
console.log(
  table(
    results.map((r) => ({
      validator: r.name,
      'mixes/s': Math.round(r.opsPerSec),
      'messages/s': Math.round(r.opsPerSec * mix.length),
      'ns/message': Math.round(r.nsPerOp / mix.length),
      'vs fastest other': `${(r.opsPerSec / fastestOther).toFixed(2)}×`,
    })),
  ),
);

// Per message: where the time goes.
const perMessage = benchMix201.map((m) => {
  const row: Record<string, string | number> = { message: m.name };
  for (const c of contenders) {
    const rs = [0, 1, 2].map(
      () => rate(c.name, () => c.check(m.action, m.payload), { ms: 120, warmupMs: 30, batch: 100 }).nsPerOp,
    );
    row[c.name] = Math.round(rs.sort((a, b) => a - b)[1]!);
  }
  return row;
});
console.log('\nns per message (median of 3 short rounds)\n');
console.log(table(perMessage));

const ours = results.find((r) => r.name === 'ocppkit validateRequest')!;
const verdict = ours.opsPerSec >= fastestOther ? 'at least as fast as' : 'SLOWER than';
console.log(
  `\nocppkit validateRequest is ${verdict} the fastest alternative (${(ours.opsPerSec / fastestOther).toFixed(2)}×).`,
);
