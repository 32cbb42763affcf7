// generated/<v>/actions.ts, handlers.ts and index.ts: the action map's types, the handler interfaces per role, and
// the entry module with the action map's run-time side (lazily loaded validators) and validation bound to the version.
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
        { path: `${key}/index.ts`, content: renderIndex(key, model), inputs, format: 'typescript' },
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

/** index.ts: the version's entry — re-exports the types, holds `actions` (the validators), binds validation to its error codes. */
function renderIndex(key: VersionKey, model: VersionModel): string {
  const codes = validationErrorCodes(model.protocol);
  return render('index.ts', {
    key,
    protocol: model.protocol,
    actions: model.actions.map(actionData),
    errorCodes: Object.keys(codes)
      .sort()
      .map((k) => ({ key: k, code: codes[k] })),
  });
}
