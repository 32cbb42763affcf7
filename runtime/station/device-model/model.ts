// The station's device model: built from the version's catalogue, ocppkit's defaults, the layout and the
// integrator's configuration; values persisted through the Store; typed accessors and change notifications for
// the runtime; the CSMS's GetVariables/SetVariables/GetBaseReport/GetReport answered by the functions in
// get-variables.ts, set-variables.ts and report.ts. Everything is synchronous.
import {
  cleanComponent,
  cleanVariable,
  componentKey,
  toComponentId,
  toVariableId,
  variableKey,
  variableLabel,
  type ComponentId,
  type VariableId,
} from './address.js';
import { buildNodes, checkRequired, checkValuesListSizes } from './build.js';
import { Catalogue } from './catalogue.js';
import type { DmComponent, VariableOf } from './keys.js';
import { checkLayout, mergeConfig, Problems } from './config.js';
import { defaultComponents, layoutComponents } from './defaults.js';
import { DeviceModelConfigError, DeviceModelError, type ConfigProblem } from './errors.js';
import { getBaseReport, getReport } from './report.js';
import { getVariables } from './get-variables.js';
import { setVariables } from './set-variables.js';
import { currentValue, type AttributeNode, type ComponentNode, type VariableNode } from './nodes.js';
import { pendingRow, persistValue, restore, valueRow, type DeviceModelStore } from './persistence.js';
import { checkFormat, configValueToString, LIST_TYPES, splitList } from './values.js';
import type {
  AttributeType,
  ComponentRef,
  ConfigValue,
  DeviceModelConfig,
  DeviceModelVersion,
  GetBaseReportRequest,
  GetBaseReportResponse,
  GetReportRequest,
  GetReportResponse,
  GetVariablesRequest,
  GetVariablesResponse,
  ReportAnswer,
  ReportLimits,
  ReportOutcome,
  RequestOutcome,
  SetVariablesRequest,
  SetVariablesResponse,
  StationLayout,
  VariableChange,
  VariableRef,
} from './types.js';
import { messageOf } from '../../error-text.js';

export interface DeviceModelOptions {
  /** The OCPP version: selects the standardized catalogue (2.0.1 or 2.1). */
  version: DeviceModelVersion;
  /** Where changed values are kept across restarts (runtime/store; a SQLite store in production). */
  store: DeviceModelStore;
  /** EVSEs and connectors: they become the EVSE and Connector components. */
  layout: StationLayout;
  /** The integrator's components and variables, merged over ocppkit's defaults. */
  config?: DeviceModelConfig;
  /** The station's clock: ClockCtrlr.DateTime and NotifyReportRequest.generatedAt. Default: the system clock. */
  clock?: () => Date;
  /** Where a throwing change listener or value provider is reported. Default: a process warning. */
  onError?: (error: unknown, context: string) => void;
}

/** The largest attributeValue the schemas allow in SetVariableData (2.0.1: 1000, 2.1: 2500) and in reports (2500). */
const SCHEMA_SET_VALUE_MAX: Record<DeviceModelVersion, number> = { 'ocpp2.0.1': 1000, 'ocpp2.1': 2500 };
const SCHEMA_REPORT_VALUE_MAX = 2500;
/** ReportLimits when DeviceDataCtrlr does not give them. */
const FALLBACK_REPORT_LIMITS: ReportLimits = { maxItems: 100, maxBytes: 65536 };

/** A CSMS write accepted by set-variables.ts, to be committed by the model. */
export interface AcceptedWrite {
  variable: VariableNode;
  attribute: AttributeNode;
  value: string;
  /** RebootRequired: stored now, in effect at the next start. */
  pending: boolean;
}

/** An accepted CSMS write as data: what `apply` puts into effect once it is stored. */
export interface CommittedWrite {
  component: ComponentId;
  variable: VariableId;
  attributeType: AttributeType;
  value: string;
  pending: boolean;
}

export const committedWrite = (w: AcceptedWrite): CommittedWrite => ({
  component: w.variable.component.id,
  variable: w.variable.id,
  attributeType: w.attribute.type,
  value: w.value,
  pending: w.pending,
});

type Listener = (change: VariableChange) => void;

/** Construction without the store: layout, merge, build, checks. Problems are collected, not thrown. */
function build(options: Omit<DeviceModelOptions, 'store'>, problems: Problems, clock: () => Date): ComponentNode[] {
  if (options.version !== 'ocpp2.0.1' && options.version !== 'ocpp2.1') {
    problems.add('version', `must be 'ocpp2.0.1' or 'ocpp2.1', got ${JSON.stringify(options.version)}`);
    return [];
  }
  const catalogue = new Catalogue(options.version);
  if (!checkLayout(options.layout, problems)) return [];
  const layout = layoutComponents(options.layout);
  const drafts = mergeConfig(
    [...defaultComponents(options.version), ...layout.components],
    options.config,
    options.layout,
    catalogue,
    problems,
  );
  const components = buildNodes(drafts, catalogue, problems);
  // ClockCtrlr.DateTime is the clock itself (Part 2 2.1.24), unless the integrator configured something else.
  const dateTime = components
    .find((c) => c.key === componentKey({ name: 'ClockCtrlr' }))
    ?.variables.get(variableKey({ name: 'DateTime' }))
    ?.attributes.get('Actual');
  if (dateTime && dateTime.value === undefined) dateTime.provider = clock === systemClock ? clock : () => clock();
  const num = <C extends DmComponent>(component: C, variable: VariableOf<C>) => {
    const v = components
      .find((c) => c.key === componentKey({ name: component }))
      ?.variables.get(variableKey({ name: variable }))
      ?.attributes.get('Actual')?.value;
    return v === undefined ? Infinity : Number(v);
  };
  checkValuesListSizes(
    components,
    Math.min(1000, num('DeviceDataCtrlr', 'ConfigurationValueSize'), num('DeviceDataCtrlr', 'ValueSize')),
    problems,
  );
  checkRequired(components, catalogue, layout.hints, problems);
  return components;
}

/**
 * Checks a configuration without building a model or touching a store: every problem the constructor would throw
 * (shape, values, missing required variables), as a list. For tooling and tests; the constructor does the same.
 */
export function checkDeviceModelConfig(options: Omit<DeviceModelOptions, 'store'>): ConfigProblem[] {
  const problems = new Problems();
  build(options, problems, options.clock ?? (() => new Date()));
  return problems.list;
}

/**
 * What every model built from the same version, layout and configuration shares (issue 18): the nodes with their
 * characteristics and configured values, built and checked once per process. A model keeps only what differs from
 * them — the attributes whose value, pending value or provider changed, as its own copies (`DeviceModel.state`) —
 * so that thousands of simulated stations with one configuration hold one tree of ~100 variables, not one each.
 */
interface Template {
  readonly components: readonly ComponentNode[];
  readonly byKey: ReadonlyMap<string, ComponentNode>;
  /** ClockCtrlr.DateTime's Actual when it is the clock: each model binds it to its own clock. */
  readonly clockBound: AttributeNode | undefined;
  /**
   * Variables looked up by plain names (`'OCPPCommCtrlr', 'HeartbeatInterval'`, how the runtime reads them many
   * times per message), so that a read does not build both lookup keys again; null: no such variable.
   */
  readonly byName: Map<string, Map<string, VariableNode | null>>;
}

/** Templates by their inputs; a few configurations per process, so the oldest is dropped beyond the bound. */
const TEMPLATES = new Map<string, Template>();
const TEMPLATE_LIMIT = 16;
/** The template's own binding of ClockCtrlr.DateTime, replaced in every model by the model's clock. */
const systemClock = () => new Date();

/** The inputs of `build` as a key, or undefined when they hold a function (such inputs are not shared). */
function templateKey(options: Omit<DeviceModelOptions, 'store'>): string | undefined {
  let plain = true;
  const key = JSON.stringify([options.version, options.layout, options.config ?? null], (_k, v: unknown) => {
    if (typeof v === 'function') plain = false;
    return v;
  });
  return plain ? key : undefined;
}

function template(options: Omit<DeviceModelOptions, 'store'>): Template {
  const key = templateKey(options);
  const cached = key === undefined ? undefined : TEMPLATES.get(key);
  if (cached) return cached;
  const problems = new Problems();
  const components = build(options, problems, systemClock);
  if (problems.list.length) throw new DeviceModelConfigError(problems.list);
  const dateTime = components
    .find((c) => c.key === componentKey({ name: 'ClockCtrlr' }))
    ?.variables.get(variableKey({ name: 'DateTime' }))
    ?.attributes.get('Actual');
  const made: Template = {
    components,
    byKey: new Map(components.map((c) => [c.key, c])),
    clockBound: dateTime?.provider === systemClock ? dateTime : undefined,
    byName: new Map(),
  };
  if (key !== undefined) {
    if (TEMPLATES.size >= TEMPLATE_LIMIT) TEMPLATES.delete(TEMPLATES.keys().next().value!);
    TEMPLATES.set(key, made);
  }
  return made;
}

export class DeviceModel {
  readonly version: DeviceModelVersion;
  /** Notes from start-up: stored values that could not be applied (changed characteristics, removed variables). */
  readonly warnings: readonly string[];
  /** Whether GetBaseReport(SummaryInventory) is answered (config.summaryInventory). */
  readonly summaryInventory: boolean;
  readonly clock: () => Date;
  private readonly store: DeviceModelStore;
  private readonly components: readonly ComponentNode[];
  private readonly byKey: ReadonlyMap<string, ComponentNode>;
  readonly #byName: Map<string, Map<string, VariableNode | null>>;
  /** This model's own copies of the shared attributes it changed (value, pending value, provider). */
  #own: Map<AttributeNode, AttributeNode> | undefined;
  #listeners: Set<Listener> | undefined;
  private readonly onError: (error: unknown, context: string) => void;

  /** Builds the model; throws DeviceModelConfigError listing every problem, including missing required variables. */
  constructor(options: DeviceModelOptions) {
    this.version = options.version;
    this.clock = options.clock ?? (() => new Date());
    this.onError =
      options.onError ?? ((error, context) => process.emitWarning(`device model: ${context}: ${messageOf(error)}`));
    if (!options.store || typeof options.store.transaction !== 'function') {
      throw new DeviceModelConfigError([
        { field: 'store', message: 'must be a Store (runtime/store), e.g. openSqliteStore(path)' },
      ]);
    }
    const shared = template(options);
    this.store = options.store;
    this.components = shared.components;
    this.byKey = shared.byKey;
    this.#byName = shared.byName;
    if (shared.clockBound) this.#mutable(shared.clockBound).provider = () => this.clock();
    this.summaryInventory = options.config?.summaryInventory ?? true;
    this.warnings = restore(this.store, this.components, (a, value) => (this.#mutable(a).value = value));
  }

  // -------------------------------------------------------------------------------------------------------------
  // CSMS requests (B05–B08)

  /** B06: GetVariablesRequest → GetVariablesResponse, or a CALLERROR beyond ItemsPerMessage/BytesPerMessage (B06.FR.16/17). */
  getVariables(request: GetVariablesRequest): RequestOutcome<GetVariablesResponse> {
    return getVariables(this, request);
  }

  /** B05: SetVariablesRequest → SetVariablesResponse (accepted values persisted and notified), or a CALLERROR. */
  setVariables(request: SetVariablesRequest): RequestOutcome<SetVariablesResponse> {
    return setVariables(this, request);
  }

  /** B07: GetBaseReportRequest → response and the NotifyReportRequests to send after it. */
  getBaseReport(request: GetBaseReportRequest, limits?: Partial<ReportLimits>): ReportAnswer<GetBaseReportResponse> {
    return getBaseReport(this, request, this.reportLimits(limits));
  }

  /** B08: GetReportRequest → response and the NotifyReportRequests to send after it, or a CALLERROR (B08.FR.17/18). */
  getReport(request: GetReportRequest, limits?: Partial<ReportLimits>): ReportOutcome<GetReportResponse> {
    return getReport(this, request, this.reportLimits(limits));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Runtime access

  /** Whether the variable exists (and supports the attribute). */
  has(component: ComponentRef, variable: VariableRef, attribute: AttributeType = 'Actual'): boolean {
    return this.attribute(component, variable, attribute) !== undefined;
  }

  /** The raw value; undefined when the variable does not exist or the attribute is unset. WriteOnly values are readable here. */
  get(component: ComponentRef, variable: VariableRef, attribute: AttributeType = 'Actual'): string | undefined {
    const found = this.attribute(component, variable, attribute);
    return found ? this.current(found.a) : undefined;
  }

  /** An integer variable's value as a number (undefined: absent or unset). Throws for a variable of another type. */
  getInt(component: ComponentRef, variable: VariableRef, attribute: AttributeType = 'Actual'): number | undefined {
    return this.typed(component, variable, attribute, ['integer'], Number);
  }

  /** An integer or decimal variable's value as a number. */
  getDecimal(component: ComponentRef, variable: VariableRef, attribute: AttributeType = 'Actual'): number | undefined {
    return this.typed(component, variable, attribute, ['integer', 'decimal'], Number);
  }

  /** A boolean variable's value. */
  getBool(component: ComponentRef, variable: VariableRef, attribute: AttributeType = 'Actual'): boolean | undefined {
    return this.typed(component, variable, attribute, ['boolean'], (s) => s === 'true');
  }

  /** Any variable's value as its string. */
  getString(component: ComponentRef, variable: VariableRef, attribute: AttributeType = 'Actual'): string | undefined {
    return this.get(component, variable, attribute);
  }

  /** A MemberList/SequenceList (in order) or OptionList value as its members. */
  getList(component: ComponentRef, variable: VariableRef, attribute: AttributeType = 'Actual'): string[] | undefined {
    return this.typed(component, variable, attribute, ['MemberList', 'SequenceList', 'OptionList'], splitList);
  }

  /** A dateTime variable's value as a Date. */
  getDateTime(component: ComponentRef, variable: VariableRef, attribute: AttributeType = 'Actual'): Date | undefined {
    return this.typed(component, variable, attribute, ['dateTime'], (s) => new Date(s));
  }

  /** The value accepted with RebootRequired that takes effect at the next start, if any. */
  pendingValue(
    component: ComponentRef,
    variable: VariableRef,
    attribute: AttributeType = 'Actual',
  ): string | undefined {
    const found = this.attribute(component, variable, attribute);
    return found ? this.state(found.a).pending : undefined;
  }

  /**
   * The station changes a value (e.g. AvailabilityState, a counter, HeartbeatInterval from BootNotificationResponse).
   * Mutability does not apply — it governs the CSMS — but the format and the values list do; numeric limits do
   * not (Part 1 §4.3: an Actual value is reported as measured). Persisted when the attribute is persistent;
   * listeners are told when the value changed. Throws DeviceModelError for an unknown variable, an unsupported
   * attribute, a constant or provider-bound attribute, or an invalid value.
   */
  set(component: ComponentRef, variable: VariableRef, value: ConfigValue, attribute: AttributeType = 'Actual'): void {
    const { v, a, label } = this.require(component, variable, attribute);
    if (a.constant) throw new DeviceModelError(`${label} (${attribute}) is constant`);
    if (this.state(a).provider)
      throw new DeviceModelError(`${label} (${attribute}) is bound to a provider; its value cannot be set`);
    const raw = configValueToString(value);
    if (raw === undefined)
      throw new DeviceModelError(`${label}: value must be a string, a finite number, a boolean or a list of strings`);
    const checked = checkFormat(raw, v.characteristics);
    if (!checked.ok) throw new DeviceModelError(`${label}: ${checked.problem.detail}`);
    if (this.state(a).value === checked.value) return;
    if (a.persistent) persistValue(this.store, v, attribute, checked.value);
    const own = this.#mutable(a);
    const previous = own.value;
    own.value = checked.value;
    this.emit(v, own, previous, 'station');
  }

  /**
   * Makes an attribute live: its value is `provider()` whenever it is read (GetVariables, reports, get*).
   * ClockCtrlr.DateTime is bound to the clock by default. Pass undefined to unbind.
   */
  bind(
    component: ComponentRef,
    variable: VariableRef,
    provider: (() => string | number | boolean | Date | undefined) | undefined,
    attribute: AttributeType = 'Actual',
  ): void {
    const { a, label } = this.require(component, variable, attribute);
    if (provider === undefined) {
      if (this.state(a).provider) delete this.#mutable(a).provider;
      return;
    }
    if (typeof provider !== 'function') throw new DeviceModelError(`${label}: provider must be a function`);
    this.#mutable(a).provider = () => {
      try {
        return provider();
      } catch (error) {
        this.onError(error, `provider of ${label} threw`);
        return undefined;
      }
    };
  }

  /** Calls `listener` after every change of any value (committed first). Returns the function that unsubscribes. */
  onChange(listener: (change: VariableChange) => void): () => void {
    if (typeof listener !== 'function') throw new DeviceModelError('onChange(listener): listener must be a function');
    const listeners = (this.#listeners ??= new Set());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** Calls `listener` after every change of one variable (any attribute). Returns the function that unsubscribes. */
  watch(component: ComponentRef, variable: VariableRef, listener: (change: VariableChange) => void): () => void {
    const c = componentKey(toComponentId(component));
    const k = variableKey(toVariableId(variable));
    return this.onChange((change) => {
      if (componentKey(change.component) === c && variableKey(change.variable) === k) listener(change);
    });
  }

  /** The NotifyReport limits: DeviceDataCtrlr ItemsPerMessage/BytesPerMessage[GetReport], overridable per call. */
  reportLimits(over?: Partial<ReportLimits>): ReportLimits {
    const n = (name: VariableOf<'DeviceDataCtrlr'>, fallback: number) =>
      this.getInt('DeviceDataCtrlr', { name, instance: 'GetReport' }) ?? fallback;
    return {
      maxItems: over?.maxItems ?? n('ItemsPerMessage', FALLBACK_REPORT_LIMITS.maxItems),
      maxBytes: over?.maxBytes ?? n('BytesPerMessage', FALLBACK_REPORT_LIMITS.maxBytes),
    };
  }

  /** ItemsPerMessage / BytesPerMessage of DeviceDataCtrlr for an instance (GetVariables, SetVariables, GetReport). */
  messageLimit(
    kind: 'ItemsPerMessage' | 'BytesPerMessage',
    instance: 'GetReport' | 'GetVariables' | 'SetVariables',
  ): number | undefined {
    return this.getInt('DeviceDataCtrlr', { name: kind, instance });
  }

  /** The longest attributeValue SetVariables accepts: ConfigurationValueSize, ValueSize and the schema's maximum. */
  setValueLimit(): number {
    return Math.min(
      SCHEMA_SET_VALUE_MAX[this.version],
      this.dataCtrlr('ConfigurationValueSize') ?? Infinity,
      this.dataCtrlr('ValueSize') ?? Infinity,
    );
  }

  /** The longest value GetVariables and reports send: ReportingValueSize, ValueSize and the schema's 2500. */
  reportValueLimit(): number {
    return Math.min(
      SCHEMA_REPORT_VALUE_MAX,
      this.dataCtrlr('ReportingValueSize') ?? Infinity,
      this.dataCtrlr('ValueSize') ?? Infinity,
    );
  }

  // -------------------------------------------------------------------------------------------------------------
  // For the request handlers (get-variables.ts, set-variables.ts, report.ts)

  /** @internal This model's state of a shared attribute node: its own copy once it changed one, else the node. */
  state(a: AttributeNode): AttributeNode {
    return this.#own?.get(a) ?? a;
  }

  /** @internal The value of a shared attribute node in this model (its provider's, or its value). */
  current(a: AttributeNode): string | undefined {
    return currentValue(this.state(a));
  }

  /** The model's own copy of a shared attribute node, made on its first change (copy on write). */
  #mutable(a: AttributeNode): AttributeNode {
    let own = this.#own?.get(a);
    if (!own) (this.#own ??= new Map()).set(a, (own = { ...a }));
    return own;
  }

  /** @internal Components in report order. */
  componentNodes(): readonly ComponentNode[] {
    return this.components;
  }

  /** @internal The component with exactly this address (instance '' = none), if any. */
  findComponent(id: ComponentId): ComponentNode | undefined {
    return this.byKey.get(componentKey(id));
  }

  /**
   * @internal Commits CSMS writes: all stored in one store transaction, then applied in memory, then listeners
   * told. If the store fails nothing is applied and the error propagates.
   */
  commit(writes: readonly AcceptedWrite[]): void {
    this.store.transaction(() => {
      for (const op of this.storeOps(writes)) this.store.put(op.namespace, op.key, op.value);
    });
    this.apply(writes.map(committedWrite));
  }

  /** The store writes that keep accepted CSMS writes (pending ones for the next start). */
  storeOps(writes: readonly AcceptedWrite[]): Array<{ op: 'put'; namespace: string; key: string; value: unknown }> {
    const rows: Array<{ op: 'put'; namespace: string; key: string; value: unknown }> = [];
    for (const w of writes) {
      if (w.pending) rows.push(pendingRow(w.variable, w.attribute.type, w.value));
      else if (w.attribute.persistent) rows.push(valueRow(w.variable, w.attribute.type, w.value));
    }
    return rows;
  }

  /**
   * Puts CSMS writes whose store rows are already written (`storeOps`) into effect, and tells the listeners (source
   * `csms`). A write of a variable this model does not have is skipped.
   */
  apply(writes: readonly CommittedWrite[]): void {
    const changed: { v: VariableNode; a: AttributeNode; previous: string | undefined }[] = [];
    for (const w of writes) {
      const node = this.attribute(w.component, w.variable, w.attributeType);
      if (!node) continue;
      if (w.pending) {
        this.#mutable(node.a).pending = w.value;
        continue;
      }
      const previous = this.state(node.a).value;
      if (previous === w.value) continue;
      const own = this.#mutable(node.a);
      own.value = w.value;
      changed.push({ v: node.v, a: own, previous });
    }
    for (const c of changed) this.emit(c.v, c.a, c.previous, 'csms');
  }

  // -------------------------------------------------------------------------------------------------------------

  /** A DeviceDataCtrlr limit, by its catalogue name (the public getters take any name: integrators' components). */
  private dataCtrlr(variable: VariableOf<'DeviceDataCtrlr'>): number | undefined {
    return this.getInt('DeviceDataCtrlr', variable);
  }

  private attribute(
    component: ComponentRef,
    variable: VariableRef,
    attribute: AttributeType,
  ): { v: VariableNode; a: AttributeNode } | undefined {
    const v =
      typeof component === 'string' && typeof variable === 'string'
        ? this.#variableByName(component, variable)
        : this.byKey.get(componentKey(toComponentId(component)))?.variables.get(variableKey(toVariableId(variable)));
    const a = v?.attributes.get(attribute);
    return v && a ? { v, a } : undefined;
  }

  #variableByName(component: string, variable: string): VariableNode | undefined {
    // By component, then variable: no key string made (and hashed) per read, issue 18's fleets read often.
    let names = this.#byName.get(component);
    let v = names?.get(variable);
    if (v === undefined) {
      v = this.byKey.get(componentKey({ name: component }))?.variables.get(variableKey({ name: variable })) ?? null;
      // Bounded: the names a program reads are few; a stream of made-up names is not remembered beyond this.
      if (!names && this.#byName.size < 256) this.#byName.set(component, (names = new Map()));
      if (names && names.size < 1024) names.set(variable, v);
    }
    return v ?? undefined;
  }

  private require(
    component: ComponentRef,
    variable: VariableRef,
    attribute: AttributeType,
  ): { v: VariableNode; a: AttributeNode; label: string } {
    const c = toComponentId(component);
    const vid = toVariableId(variable);
    const label = variableLabel(c, vid);
    const node = this.byKey.get(componentKey(c));
    if (!node)
      throw new DeviceModelError(
        `${label}: the device model has no component ${label.slice(0, label.lastIndexOf('.'))}`,
      );
    const v = node.variables.get(variableKey(vid));
    if (!v) throw new DeviceModelError(`${label}: the component has no such variable`);
    const a = v.attributes.get(attribute);
    if (!a) throw new DeviceModelError(`${label} has no ${attribute} attribute`);
    return { v, a, label };
  }

  private typed<T>(
    component: ComponentRef,
    variable: VariableRef,
    attribute: AttributeType,
    types: readonly string[],
    parse: (s: string) => T,
  ): T | undefined {
    const found = this.attribute(component, variable, attribute);
    if (!found) return undefined;
    if (!types.includes(found.v.characteristics.dataType)) {
      throw new DeviceModelError(
        `${variableLabel(found.v.component.id, found.v.id)} is ${found.v.characteristics.dataType}, not ${types.join(' or ')}`,
      );
    }
    const s = this.current(found.a);
    // '' is an unset number/boolean/date (B06.FR.13), but the empty list of a MemberList.
    if (s === undefined || (s === '' && !LIST_TYPES.has(found.v.characteristics.dataType))) return undefined;
    return parse(s);
  }

  private emit(
    v: VariableNode,
    a: AttributeNode,
    previous: string | undefined,
    source: VariableChange['source'],
  ): void {
    const listeners = this.#listeners;
    if (!listeners || listeners.size === 0) return;
    const change: VariableChange = {
      component: cleanComponent(v.component.id),
      variable: cleanVariable(v.id),
      attribute: a.type,
      value: a.value!,
      previous,
      source,
    };
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.onError(error, `change listener for ${variableLabel(v.component.id, v.id)} threw`);
      }
    }
  }
}
