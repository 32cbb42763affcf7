// Checks a template against the station runtime before any worker starts: one station of each version is built
// (not started) on a throw-away in-memory store, so that a device-model value or configuration key the runtime
// refuses is reported once, naming the template field, instead of failing every station of the run.
import { ChargingStation } from '../station/charging-station.js';
import { messageOf } from '../error-text.js';
import { stationOptions } from './fleet-station.js';
import { SharedFleetStore } from './shared-store.js';
import { identityOf, TemplateError, type ResolvedTemplate } from './template.js';

export function probeTemplate(template: ResolvedTemplate, csmsUrl: string, ca?: string): void {
  const store = new SharedFleetStore(':memory:');
  const problems: string[] = [];
  try {
    for (const version of new Set(template.stations.versions)) {
      const n = template.stations.firstNumber;
      const identity = identityOf(template, n);
      try {
        new ChargingStation(
          stationOptions({
            n,
            identity,
            version,
            csmsUrl,
            template,
            store: store.station(identity),
            ...(ca ? { ca } : {}),
          }),
        );
      } catch (e) {
        const message = messageOf(e).replace(/\s*\n\s*/g, ' ');
        problems.push(`${fieldOf(message, version)}: ${message} (an ${version} station)`);
      }
    }
  } finally {
    store.close();
  }
  if (problems.length) throw new TemplateError(problems);
}

/** The template field an error of the runtime is about, from what it names. */
function fieldOf(message: string, version: string): string {
  if (/options\.identity/.test(message)) return 'stations.identity';
  if (/password/i.test(message)) return 'security.password';
  if (/device model configuration|variables\[/.test(message))
    return version === 'ocpp1.6' ? 'stations.configuration16' : 'stations.deviceModel';
  return 'stations';
}
