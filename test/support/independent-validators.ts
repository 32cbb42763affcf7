// Validators that share no code with ocppkit's generator, to cross-check its verdicts: ocpp-rpc's own validator
// with its bundled schemas (1.6, 2.0.1), and plain ajv + ajv-formats compiling the OCA files exactly as they are.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

export type Verdict = (payload: unknown) => boolean;

type RpcValidator = { validate(id: string, payload: unknown): boolean };
const rpcValidators = new Map<string, RpcValidator>();

/** ocpp-rpc's verdict for the request/response of `action`, or null where ocpp-rpc has no usable validator. */
export function ocppRpcVerdict(protocol: string, action: string, kind: 'request' | 'response'): Verdict | null {
  const file = { 'ocpp1.6': 'ocpp1_6.json', 'ocpp2.0.1': 'ocpp2_0_1.json' }[protocol];
  if (!file) return null; // its 2.1 schemas are registered under ids it never looks up (notes/toolchain.md)
  let v = rpcValidators.get(protocol);
  if (!v) {
    const { createValidator } = require('ocpp-rpc') as { createValidator: (p: string, s: unknown) => RpcValidator };
    v = createValidator(protocol, require(`ocpp-rpc/lib/schemas/${file}`));
    rpcValidators.set(protocol, v);
  }
  const id = `urn:${action}.${kind === 'request' ? 'req' : 'conf'}`;
  const validator = v;
  return (payload) => {
    try {
      return validator.validate(id, payload);
    } catch (err) {
      if ((err as { rpcErrorCode?: string }).rpcErrorCode === 'ProtocolError') throw err; // missing schema: a test bug
      return false;
    }
  };
}

type AjvLike = { compile(schema: object): (data: unknown) => boolean };
const ajvByDraft = new Map<string, AjvLike>();

/**
 * Plain ajv on one raw OCA schema file: draft-04 files through ajv-draft-04, draft-06 through ajv with its
 * meta-schema. One setting is ours: `multipleOfPrecision: 9`, the decimal policy of docs/validation.md — without it
 * ajv refuses a 1.6 charging limit of 8.1 (test/validation/multiple-of.test.ts shows that refusal).
 */
export function plainAjvVerdict(specDir: string, file: string): Verdict {
  const schema = JSON.parse(readFileSync(join(specDir, file), 'utf8')) as { $schema?: string };
  const draft = schema.$schema?.includes('draft-04') ? 'draft-04' : 'draft-06';
  let ajv = ajvByDraft.get(draft);
  if (!ajv) {
    const options = { strict: false, multipleOfPrecision: 9 };
    const addFormats = require('ajv-formats') as (a: AjvLike) => void;
    if (draft === 'draft-04') {
      const Ajv04 = require('ajv-draft-04') as new (o: object) => AjvLike;
      ajv = new Ajv04(options);
    } else {
      const Ajv = require('ajv') as new (o: object) => AjvLike & { addMetaSchema(s: object): void };
      const a = new Ajv(options);
      a.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
      ajv = a;
    }
    addFormats(ajv);
    ajvByDraft.set(draft, ajv);
  }
  const validate = ajv.compile(schema);
  return (payload) => validate(payload);
}
