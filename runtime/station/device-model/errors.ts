// Errors of the device model. Both name what is wrong precisely enough to fix it without reading the code: the
// configuration error lists every problem with the path of the offending field, the usage error names the
// component/variable/attribute and why the call cannot be done.

/** One problem of the configuration (or of the built model, for the start-up check). */
export interface ConfigProblem {
  /** Path of the offending field, e.g. `config.components[2].variables[0].dataType` or `layout.evses[0].maxPower`. */
  field: string;
  message: string;
}

/**
 * The configuration cannot build a device model: every problem found is listed (not just the first), including
 * variables the specification requires that have no value (the start-up check).
 */
export class DeviceModelConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${p.field}: ${p.message}`);
    super(
      `device model configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`,
    );
    this.name = 'DeviceModelConfigError';
    this.problems = problems;
  }
}

/** A runtime call on the device model that cannot be done (unknown variable, wrong data type, read-only by design, …). */
export class DeviceModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeviceModelError';
  }
}
