// generated/<v>/actions.ts, handlers.ts and index.ts: the action map, the handler interfaces per role, and the
// entry module that binds validation to the version.
import { type Emitter, type GeneratedFile, VERSIONS, type VersionKey } from '../emit.js';
import { validationErrorCodes } from '../error-codes.js';
import { type ActionModel, type VersionModel, loadVersion } from '../schemas/load.js';
import { render } from '../templates.js';

export const actionsEmitter: Emitter = {
  name: 'actions',
  async emit({ specDir }) {
    const files: GeneratedFile[] = [];
    for (const key of Object.keys(VERSIONS) as VersionKey[]) {
      const model = loadVersion(specDir, key);
      const inputs = [...model.schemaFiles, model.directionsFile];
      files.push(
        { path: `${key}/actions.ts`, content: renderActions(model), inputs, format: 'typescript' },
        { path: `${key}/handlers.ts`, content: renderHandlers(model), inputs, format: 'typescript' },
      );
    }
    return files;
  },
};

function messageTypes(actions: ActionModel[]): string[] {
  return actions.flatMap((a) => [a.request.typeName, ...(a.response ? [a.response.typeName] : [])]).sort();
}

function actionData(a: ActionModel) {
  return {
    name: a.name,
    direction: a.direction,
    send: a.send,
    requestType: a.request.typeName,
    responseType: a.response?.typeName ?? 'never',
    doc: `${a.direction}${a.send ? ', SEND: nothing to answer' : ''}`,
  };
}

function renderActions(model: VersionModel): string {
  return render('actions.ts', {
    protocol: model.protocol,
    types: messageTypes(model.actions),
    actions: model.actions.map(actionData),
  });
}

function renderHandlers(model: VersionModel): string {
  const station = model.actions.filter((a) => a.direction !== 'CS->CSMS');
  const csms = model.actions.filter((a) => a.direction !== 'CSMS->CS');
  return render('handlers.ts', {
    protocol: model.protocol,
    types: messageTypes([...station, ...csms].filter((a, i, all) => all.indexOf(a) === i)),
    station: station.map(actionData),
    csms: csms.map(actionData),
  });
}

/**
 * index.ts is written last: it re-exports every other module of the version, including those other emitters
 * wrote (device-model.ts → `deviceModel`, …), so it is made from the list of generated files rather than by one
 * emitter.
 */
export function renderIndex(specDir: string, key: VersionKey, siblings: string[]): GeneratedFile {
  const model = loadVersion(specDir, key);
  const own = new Set(['types', 'actions', 'handlers', 'index']);
  const extraModules = siblings
    .filter((p) => p.startsWith(`${key}/`) && /^[^/]+\.ts$/.test(p.slice(key.length + 1)) && !p.endsWith('.d.ts'))
    .map((p) => p.slice(key.length + 1, -'.ts'.length))
    .filter((m) => !own.has(m))
    .sort()
    // A namespace per module: device-model.ts exports `IdTokenType` (the appendix list), types.ts `IdTokenType`
    // (the schema datatype); `export *` of both would be ambiguous.
    .map((file) => ({ file, namespace: file.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) }));
  const codes = validationErrorCodes(model.protocol);
  return {
    path: `${key}/index.ts`,
    content: render('index.ts', {
      key,
      protocol: model.protocol,
      extraModules,
      errorCodes: Object.keys(codes)
        .sort()
        .map((k) => ({ key: k, code: codes[k] })),
    }),
    inputs: [...model.schemaFiles, model.directionsFile],
    format: 'typescript',
  };
}
