// R04.FR.31–35/37: the controls a GetDERControlRequest asks for, as ReportDERControlRequests. Each list of the
// message holds at most 24 entries (the schema's maxItems): a part carries at most 24 controls, every part the
// request's requestId (R04.FR.31), tbc true on all but the last (R04.FR.32).
import type { ReportDERControlRequest } from '../../../generated/v21/types.js';
import type { DerControl } from './controls.js';

const PER_PART = 24;

type Lists = Omit<ReportDERControlRequest, 'requestId' | 'tbc' | 'customData'>;

/** Adds one control to the list of its kind, in the report's Get types (EnterService and Gradients are defaults only). */
function add(lists: Lists, c: DerControl): void {
  const flags = { id: c.id, isDefault: c.isDefault, isSuperseded: c.isSuperseded };
  switch (c.field) {
    case 'curve':
      (lists.curve ??= []).push({ curve: c.setting, curveType: c.controlType, ...flags });
      break;
    case 'enterService':
      (lists.enterService ??= []).push({ enterService: c.setting, id: c.id });
      break;
    case 'fixedPFAbsorb':
      (lists.fixedPFAbsorb ??= []).push({ fixedPF: c.setting, ...flags });
      break;
    case 'fixedPFInject':
      (lists.fixedPFInject ??= []).push({ fixedPF: c.setting, ...flags });
      break;
    case 'fixedVar':
      (lists.fixedVar ??= []).push({ fixedVar: c.setting, ...flags });
      break;
    case 'freqDroop':
      (lists.freqDroop ??= []).push({ freqDroop: c.setting, ...flags });
      break;
    case 'gradient':
      (lists.gradient ??= []).push({ gradient: c.setting, id: c.id });
      break;
    case 'limitMaxDischarge':
      (lists.limitMaxDischarge ??= []).push({ limitMaxDischarge: c.setting, ...flags });
      break;
  }
}

export function reportParts(controls: readonly DerControl[], requestId: number): ReportDERControlRequest[] {
  const parts: ReportDERControlRequest[] = [];
  for (let i = 0; i < controls.length; i += PER_PART) {
    const lists: Lists = {};
    for (const c of controls.slice(i, i + PER_PART)) add(lists, c);
    parts.push({ requestId, ...lists });
  }
  return parts.map((p, i) => ({ ...p, ...(i < parts.length - 1 ? { tbc: true } : {}) }));
}
