// 1.6 §5.3 ChangeConfiguration and §5.8 GetConfiguration over the standard keys of chapter 9 (keys.ts). The values
// live in this use case's state: defaults, then the integrator's initial values (mapping.ts), then what the CSMS
// changed, which is persisted in the store before the answer goes out (so an Accepted key survives a reboot).
import type { KeyValue } from '../../../../generated/v16/types.js';
import type { Family16 } from '../../core/family.js';
import { byEventType, type StationView, type UseCase } from '../../core/types.js';
import { csl, isKey16, KEYS16, normalized, validValue, type KeyDefinition, type Key16 } from './keys.js';
import { parseDefaultPriceTexts, parsePriceTextValue } from '../../../pricing/messages.js';

declare module '../../core/registry.js' {
  interface OwnEvents {
    /** A 1.6 configuration key changed (ChangeConfiguration Accepted, or the runtime): its readers react. */
    'v16.config.changed': { key: Key16; value: string };
    /** A block sets a key the runtime owns (HeartbeatInterval from BootNotification.conf, 1.6 §4.2). */
    'v16.config.set': { key: Key16; value: string };
  }
  interface StationQueries {
    /** The value of a 1.6 configuration key (block v16 configuration). */
    config16(key: Key16): string | undefined;
  }
}

export interface ConfigurationState {
  values: Partial<Record<Key16, string>>;
  /** What the CSMS (or the runtime) changed: persisted, and preferred over the integrator's initial values. */
  changed: Partial<Record<Key16, string>>;
}

/** Keys whose value ocppkit derives from the layout and limits (readonly). */
export type DerivedKeys = Partial<Record<Key16, string>>;

const KEY_NAMES = Object.keys(KEYS16) as Key16[];

/** CiString keys compare without case (1.6 §2.1); the answer names the key as the station spells it. */
function known(name: string): Key16 | undefined {
  if (isKey16(name)) return name;
  const lower = name.toLowerCase();
  return KEY_NAMES.find((k) => k.toLowerCase() === lower);
}

function restore(saved: unknown): Partial<Record<Key16, string>> {
  const out: Partial<Record<Key16, string>> = {};
  if (!saved || typeof saved !== 'object') return out;
  for (const [k, v] of Object.entries(saved)) {
    if (isKey16(k) && !KEYS16[k].readonly && typeof v === 'string' && validValue(k, v)) out[k] = v;
  }
  return out;
}

/**
 * California pricing: ChangeConfiguration("DefaultPriceText,<language>", { priceText, priceTextOffline? }) sets that
 * language's entry of DefaultPriceText — with CustomMultiLanguageMessages, for a language of SupportedLanguages.
 * The new DefaultPriceText value; 'Rejected'; or undefined when the key is not of that form.
 */
function priceTextChange(state: ConfigurationState, name: string, value: string): string | 'Rejected' | undefined {
  const m = /^DefaultPriceText,(.+)$/i.exec(name);
  if (!m) return undefined;
  const language = m[1]!.trim();
  const supported = csl(state.values.SupportedLanguages).map((l) => l.toLowerCase());
  const entry = parsePriceTextValue(value);
  if (state.values.CustomMultiLanguageMessages !== 'true' || !supported.includes(language.toLowerCase()) || !entry)
    return 'Rejected';
  const others = (parseDefaultPriceTexts(state.values.DefaultPriceText ?? '') ?? []).filter(
    (t) => t.language.toLowerCase() !== language.toLowerCase(),
  );
  const next = JSON.stringify({ priceTexts: [...others, { ...entry, language }] });
  return validValue('DefaultPriceText', next) ? next : 'Rejected';
}

/** A check of a new value beyond its type that needs the station's state (SecurityProfile, A05): false refuses it. */
export type ValueCheck = (value: string, view: StationView<Family16>) => boolean;

export function configurationUseCase(
  initial: Partial<Record<Key16, string>>,
  derived: DerivedKeys,
  checks: Partial<Record<Key16, ValueCheck>> = {},
): UseCase<ConfigurationState, Family16> {
  const base = (): Partial<Record<Key16, string>> => {
    const values: Partial<Record<Key16, string>> = {};
    for (const k of KEY_NAMES) {
      const d: KeyDefinition = KEYS16[k];
      // Read-only for the CSMS, not for the integrator (e.g. ReserveConnectorZeroSupported); derived keys win.
      const v = derived[k] ?? initial[k] ?? d.value;
      if (v !== undefined) values[k] = v;
    }
    return values;
  };
  const set = (state: ConfigurationState, key: Key16, value: string): ConfigurationState => ({
    values: { ...state.values, [key]: value },
    changed: { ...state.changed, [key]: value },
  });
  return {
    name: 'v16.configuration',
    init(_view, saved) {
      const changed = restore(saved);
      return { values: { ...base(), ...changed }, changed };
    },
    save: (state) => state.changed,
    queries: {
      config16: (state, _view, key) => state.values[key],
    },
    on: byEventType<ConfigurationState, Family16>({
      'v16.config.set': (state, event) => {
        const value = normalized(event.key, event.value);
        if (state.values[event.key] === value) return undefined;
        return {
          state: set(state, event.key, value),
          effects: [
            { type: 'persist' },
            { type: 'dispatch', event: { type: 'v16.config.changed', key: event.key, value } },
          ],
        };
      },
    }),
    answers: {
      GetConfiguration(state, request) {
        const asked = request.key?.length ? request.key : KEY_NAMES;
        const configurationKey: KeyValue[] = [];
        const unknownKey: string[] = [];
        for (const name of asked) {
          const key = known(name);
          const d: KeyDefinition | undefined = key && KEYS16[key];
          const value = key && !d?.writeOnly ? state.values[key] : undefined;
          if (key === undefined || (value === undefined && KEYS16[key].readonly)) unknownKey.push(name);
          else
            configurationKey.push({ key, readonly: KEYS16[key].readonly, ...(value !== undefined ? { value } : {}) });
        }
        return {
          response: {
            ...(configurationKey.length ? { configurationKey } : {}),
            ...(unknownKey.length ? { unknownKey } : {}),
          },
        };
      },
      ChangeConfiguration(state, request, view) {
        const perLanguage = priceTextChange(state, request.key, request.value);
        if (perLanguage !== undefined) {
          if (perLanguage === 'Rejected') return { response: { status: 'Rejected' } };
          return {
            state: set(state, 'DefaultPriceText', perLanguage),
            response: { status: 'Accepted' },
            persistOrAnswer: { status: 'Rejected' },
            after: [
              { type: 'dispatch', event: { type: 'v16.config.changed', key: 'DefaultPriceText', value: perLanguage } },
            ],
          };
        }
        const key = known(request.key);
        if (key === undefined) return { response: { status: 'NotSupported' } };
        const d: KeyDefinition = KEYS16[key];
        if (d.readonly || !validValue(key, request.value)) return { response: { status: 'Rejected' } };
        if (checks[key] && !checks[key](request.value, view)) return { response: { status: 'Rejected' } };
        const value = normalized(key, request.value);
        return {
          state: set(state, key, value),
          response: { status: d.reboot ? 'RebootRequired' : 'Accepted' },
          persistOrAnswer: { status: 'Rejected' },
          after: d.reboot ? [] : [{ type: 'dispatch', event: { type: 'v16.config.changed', key, value } }],
        };
      },
    },
  };
}
