// What the station's display can do (options.display), the DisplayMessageCtrlr component that reports it (Part 2
// "Referenced Components and Variables": Available, Enabled, DisplayMessages with its maxLimit, SupportedFormats,
// SupportedPriorities; 2.1 adds SupportedStates and Language), and ocppkit's defaults. Block O checks every
// SetDisplayMessage against these settings (O01.FR.01–03/11/18/19).
import {
  MessageFormatEnumType as Formats201,
  MessagePriorityEnumType as Priorities,
  MessageStateEnumType as States201,
} from '../../../generated/v201/enums.js';
import { MessageFormatEnumType as Formats21, MessageStateEnumType as States21 } from '../../../generated/v21/enums.js';
import type { ComponentConfig, DeviceModelVersion } from '../device-model/types.js';

type Format = (typeof Formats21)[number];
type Priority = (typeof Priorities)[number];
type State = (typeof States21)[number];

/** The integrator's description of the display (all optional). */
export interface DisplayOptions {
  /** How many messages the station keeps at once (DisplayMessageCtrlr.DisplayMessages maxLimit, O01.FR.11). Default 20. */
  maxMessages?: number;
  /** The message formats the display renders (SupportedFormats, O01.FR.03). Default ASCII and UTF8. */
  formats?: Format[];
  /** The priorities it honours (SupportedPriorities, O01.FR.01). Default all three. */
  priorities?: Priority[];
  /** The station states during which it can show a message (2.1 SupportedStates, O01.FR.02). Default all of the version. */
  states?: State[];
  /**
   * RFC 5646 tags of the languages the display can show (2.1 DisplayMessageCtrlr.Language's valuesList, the first
   * the default): a message in another is refused (O01.FR.18). Without them any language is accepted.
   */
  languages?: string[];
  /** TariffCostCtrlr.Currency (ISO 4217) of the costs shown (I02/I03). Default EUR. */
  currency?: string;
  /**
   * Whether the display can show a link as a QR code: 2.0.1 DisplayMessageCtrlr.QRCodeDisplayCapable of the California
   * pricing note (the note's qrCodeText is handed over only then; 2.1 has the QRCODE format instead). Default true.
   */
  qrCode?: boolean;
}

/** The settings block O works with: the options with ocppkit's defaults filled in. */
export interface DisplaySettings {
  maxMessages: number;
  formats: readonly Format[];
  priorities: readonly Priority[];
  /** Per version: 2.0.1 has four states, 2.1 six. */
  states: readonly State[];
  languages: readonly string[];
  currency: string;
  qrCode: boolean;
}

export const DISPLAY_DEFAULTS = {
  maxMessages: 20,
  formats: ['ASCII', 'UTF8'] as Format[],
} as const;

export function displaySettings(options: DisplayOptions = {}): DisplaySettings {
  return {
    maxMessages: options.maxMessages ?? DISPLAY_DEFAULTS.maxMessages,
    formats: options.formats ?? DISPLAY_DEFAULTS.formats,
    priorities: options.priorities ?? Priorities,
    states: options.states ?? States21,
    languages: options.languages ?? [],
    currency: options.currency ?? 'EUR',
    qrCode: options.qrCode ?? true,
  };
}

/** The formats and states of the version (2.0.1 lacks QRCODE, Suspended and Discharging). */
export function ofVersion(settings: DisplaySettings, version: DeviceModelVersion | undefined) {
  if (version !== 'ocpp2.0.1') return { formats: settings.formats, states: settings.states };
  const formats: readonly string[] = Formats201;
  const states: readonly string[] = States201;
  return {
    formats: settings.formats.filter((f) => formats.includes(f)),
    states: settings.states.filter((s) => states.includes(s)),
  };
}

/** DisplayMessageCtrlr as the station reports it; DisplayMessages is kept current by block O. */
export function displayComponents(settings: DisplaySettings, version: DeviceModelVersion): ComponentConfig[] {
  const { formats, states } = ofVersion(settings, version);
  const member = (name: string, values: readonly string[]) => ({
    name,
    dataType: 'MemberList' as const,
    valuesList: [...values],
    value: [...values],
    mutability: 'ReadOnly' as const,
  });
  return [
    {
      name: 'DisplayMessageCtrlr',
      variables: [
        { name: 'Available', value: true, mutability: 'ReadOnly' },
        { name: 'Enabled', value: true, mutability: 'ReadWrite' },
        { name: 'DisplayMessages', value: 0, mutability: 'ReadOnly', minLimit: 0, maxLimit: settings.maxMessages },
        member('SupportedFormats', formats),
        member('SupportedPriorities', settings.priorities),
        ...(version === 'ocpp2.0.1'
          ? [
              {
                name: 'QRCodeDisplayCapable',
                value: settings.qrCode,
                dataType: 'boolean' as const,
                mutability: 'ReadOnly' as const,
              },
            ]
          : []),
        ...(version === 'ocpp2.1'
          ? [
              member('SupportedStates', states),
              // Required in 2.1 (so O01.FR.19's case, messageExtra without it, does not arise): the languages the
              // integrator lists, else English as the default with any language accepted.
              {
                name: 'Language',
                dataType: 'OptionList' as const,
                valuesList: settings.languages.length ? [...settings.languages] : ['en'],
                value: settings.languages[0] ?? 'en',
                mutability: 'ReadWrite' as const,
              },
            ]
          : []),
      ],
    },
  ];
}

/** Checks `options.display`; `fail(field, problem)` throws (the station's StationOptionsError). */
export function checkDisplayOptions(
  d: DisplayOptions | undefined,
  fail: (field: string, problem: string) => never,
): void {
  if (d === undefined) return;
  if (d === null || typeof d !== 'object')
    fail('display', 'must be { maxMessages?, formats?, priorities?, states?, languages?, currency?, qrCode? }');
  if (d.maxMessages !== undefined && (!Number.isInteger(d.maxMessages) || d.maxMessages < 1))
    fail('display.maxMessages', `must be a positive integer, got ${JSON.stringify(d.maxMessages)}`);
  const members = (field: 'formats' | 'priorities' | 'states', allowed: readonly string[]) => {
    const list: unknown = d[field];
    if (list === undefined) return;
    if (!Array.isArray(list) || list.length === 0) fail(`display.${field}`, 'must list at least one value');
    for (const v of list)
      if (!allowed.includes(v)) fail(`display.${field}`, `${JSON.stringify(v)} is none of ${allowed.join(', ')}`);
  };
  members('formats', Formats21);
  members('priorities', Priorities);
  members('states', States21);
  if (d.languages !== undefined) {
    if (!Array.isArray(d.languages)) fail('display.languages', 'must be a list of RFC 5646 language tags');
    for (const l of d.languages)
      if (typeof l !== 'string' || !/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(l))
        fail('display.languages', `${JSON.stringify(l)} is not an RFC 5646 language tag`);
  }
  if (d.currency !== undefined && (typeof d.currency !== 'string' || !/^[A-Z]{3}$/.test(d.currency)))
    fail('display.currency', `must be an ISO 4217 code such as EUR, got ${JSON.stringify(d.currency)}`);
  if (d.qrCode !== undefined && typeof d.qrCode !== 'boolean')
    fail('display.qrCode', `must be true or false, got ${JSON.stringify(d.qrCode)}`);
}
