// The functional blocks of the 2.0.1 / 2.1 station, in the order the shell runs them for each event. Adding a
// block is its folder (its use case, and what it declares in core/registry.ts: events, queries, hardware) and one
// line here. A block that only exists in 2.1 says so in `UseCase.versions`; the station leaves it out where 2.1 is
// not offered.
import type { AnyUseCase, Family16, StationContext, Version2x } from './core/types.js';
import type { ChargingStationOptions } from './options.js';
import { bootUseCase } from './B-provisioning/boot.js';
import { networkProfileUseCase } from './B-provisioning/network-profile.js';
import { resetUseCase } from './B-provisioning/reset.js';
import { deviceModelUseCase } from './B-provisioning/variables.js';
import { securityUseCase } from './A-security/security.js';
import { authorizationUseCase } from './C-authorization/authorization.js';
import { DEFAULT_CACHE_LIMITS } from './C-authorization/cache.js';
import { DEFAULT_LOCAL_LIST_LIMITS, localListUseCase } from './D-local-list/local-list.js';
import { transactionsUseCase } from './E-transactions/transactions.js';
import { remoteControlUseCase } from './F-remote-control/remote-control.js';
import { transferStatusUseCase } from './F-remote-control/transfer-status.js';
import { triggerUseCase } from './F-remote-control/trigger.js';
import { availabilityUseCase } from './G-availability/availability.js';
import { reservationUseCase } from './H-reservation/reservation.js';
import { meterValuesUseCase } from './J-meter-values/meter-values.js';
import { smartChargingUseCase } from './K-smart-charging/smart-charging.js';
import { derUseCase } from './R-der/der.js';
import { batterySwapUseCase } from './S-battery-swap/battery-swap.js';
import { v2xUseCase } from './Q-v2x/v2x.js';
import { connectedEvUseCase } from './Q-v2x/connected-ev.js';
import { monitoringUseCase } from './N-diagnostics/monitoring/monitoring.js';
import { customerInformationUseCase } from './N-diagnostics/customer-information.js';
import { periodicStreamsUseCase } from './N-diagnostics/monitoring/streams.js';
import { firmwareUseCase } from './L-firmware/firmware.js';
import { getLogUseCase } from './N-diagnostics/get-log.js';
import { certificatesUseCase, DEFAULT_CERTIFICATE_LIMITS } from './M-certificates/certificates.js';
import { keyFolderOf } from './M-certificates/store.js';
import { displayUseCase } from './O-display/display.js';
import { driverCostUseCase } from './I-tariff/driver-cost.js';
import { tariffsUseCase } from './I-tariff/tariffs.js';
import { webPaymentUseCase } from './C-authorization/payment/web-payment.js';
import { paymentTerminalUseCase } from './C-authorization/payment/terminal.js';
import { displaySettings } from './O-display/settings.js';
import { dataTransferUseCase } from './P-data-transfer/data-transfer.js';
import { configurationUseCase } from './v16/configuration/configuration.js';
import { csl, KEYS16 } from './v16/configuration/keys.js';
import { initialValues } from './v16/configuration/mapping.js';
import { authorization16UseCase } from './v16/core-profile/authorization.js';
import { boot16UseCase } from './v16/core-profile/boot.js';
import { clockAligned16UseCase } from './v16/core-profile/clock-aligned.js';
import { reset16UseCase } from './v16/core-profile/reset.js';
import { status16UseCase } from './v16/core-profile/status.js';
import { transactions16UseCase } from './v16/core-profile/transactions.js';
import { connectors16 } from './v16/layout.js';
import { localList16UseCase } from './v16/local-list/local-list.js';
import { reservation16UseCase } from './v16/reservation/reservation.js';
import { smartCharging16UseCase } from './v16/smart-charging/smart-charging.js';
import { trigger16UseCase } from './v16/trigger/trigger.js';
import { firmware16UseCase } from './v16/firmware/firmware.js';
import { security16UseCase } from './v16/security/security.js';
import { upgradeProblem } from './v16/security/profile.js';
import { dataTransfer16UseCase } from './v16/data-transfer/data-transfer.js';
import { PNC_VENDOR, pncVendor } from './v16/iso15118/messages.js';
import { pnc16UseCase } from './v16/iso15118/pnc.js';
import { COST_VENDOR, pricing16UseCase, pricingVendor } from './v16/pricing/pricing.js';

// What the blocks declare in core/registry.ts (events, queries, hardware operations) must reach the compiler of a
// package consumer too: these side-effect imports survive in blocks.d.ts, which options.d.ts imports. Every module
// with such a declaration is listed (test/station/blocks.test.ts checks it).
import './A-security/security.js';
import './B-provisioning/boot.js';
import './B-provisioning/network-profile.js';
import './B-provisioning/reset.js';
import './C-authorization/authorization.js';
import './C-authorization/contract.js';
import './D-local-list/local-list.js';
import './E-transactions/transactions.js';
import './E-transactions/reset-resume.js';
import './F-remote-control/transfer-status.js';
import './F-remote-control/unlock.js';
import './G-availability/availability.js';
import './H-reservation/reservation.js';
import './J-meter-values/meter-values.js';
import './K-smart-charging/smart-charging.js';
import './R-der/der.js';
import './S-battery-swap/battery-swap.js';
import './Q-v2x/v2x.js';
import './Q-v2x/connected-ev.js';
import './N-diagnostics/monitoring/monitoring.js';
import './N-diagnostics/customer-information.js';
import './N-diagnostics/monitoring/streams.js';
import './L-firmware/firmware.js';
import './N-diagnostics/get-log.js';
import './M-certificates/certificates.js';
import './O-display/display.js';
import './I-tariff/driver-cost.js';
import './I-tariff/tariffs.js';
import './C-authorization/payment/web-payment.js';
import './C-authorization/payment/terminal.js';
import './P-data-transfer/data-transfer.js';
import './v16/configuration/configuration.js';
import './v16/core-profile/authorization.js';
import './v16/core-profile/status.js';
import './v16/core-profile/transactions.js';
import './v16/reservation/check.js';
import './v16/reservation/reservation.js';
import './v16/smart-charging/smart-charging.js';
import './v16/firmware/firmware.js';
import './v16/security/security.js';
import './v16/security/sign-certificate.js';
import './v16/iso15118/pnc.js';
import './v16/pricing/pricing.js';

/**
 * What a block may be built from: the integrator's options and what the station derived from them. The station
 * gives the same object to its use cases as `StationView.station` (the device model, TriggerMessage's answers, the
 * network profile settings).
 */
export interface BlockContext extends StationContext {
  readonly options: ChargingStationOptions;
  /** The versions the station offers. */
  readonly versions: readonly Version2x[];
}

/**
 * The use case `make(config)`, made once per distinct `config` and shared by every station built with it: a fleet
 * of thousands of stations in one process holds one copy of each instead of one closing over each station's
 * options (issue 18: ~5 KB of closures per station). `config` is JSON data (no Buffer, Map or class instance: `make`
 * gets its JSON copy); `make` must keep nothing of a station's in its closures: what differs per station comes
 * through the view (`view.station`, `view.variables`).
 * A block adopts it on its line below; at most SHARED_LIMIT configs of each factory are kept.
 */
function shared<C, U extends object>(make: (config: C) => U, config: C): U {
  // A config holding a function (a handler of the integrator's) is its station's own: not shared.
  let plain = true;
  const text = JSON.stringify(config, (_k, v: unknown) => {
    if (typeof v === 'function') plain = false;
    return v;
  });
  if (!plain) return make(config);
  // No text: an absent config (no options.monitoring), which is one config too.
  const key = text ?? '';
  let made = SHARED.get(make);
  if (!made) SHARED.set(make, (made = new Map()));
  const known = made.get(key);
  if (known) return known as U;
  // Made from a copy: a shared use case must not hold one station's objects (its integrator may change them later).
  const useCase = make(text === undefined ? config : (JSON.parse(text) as C));
  if (made.size >= SHARED_LIMIT) made.delete(made.keys().next().value!);
  made.set(key, useCase);
  return useCase;
}
const SHARED = new Map<(config: never) => object, Map<string, object>>();
const SHARED_LIMIT = 16;

// The use cases whose station-dependent parts come through `view.station`: one for every station.
const deviceModelShared = deviceModelUseCase((view) => view.station!.deviceModel());
const networkShared = networkProfileUseCase((view) => view.station!.network);
const triggerShared = triggerUseCase(
  (view) => view.station!.triggerable(),
  (message, evse, view) => view.station!.canTrigger(message, evse),
);
// C's factory takes its cache limits and its UI apart: one config for `shared`.
const authorizationOf = (config: {
  limits: Parameters<typeof authorizationUseCase>[0];
  ui: Parameters<typeof authorizationUseCase>[1];
}) => authorizationUseCase(config.limits, config.ui);
const monitoringOf = (options: ChargingStationOptions['monitoring']) =>
  monitoringUseCase((view) => view.station!.deviceModel(), options);

/** A block's use case; undefined when the station cannot run it (no hardware for it). */
export type Block = (ctx: BlockContext) => AnyUseCase | undefined;

/** Whether the integrator gave a hardware callback. */
const gave = (ctx: BlockContext, op: keyof NonNullable<ChargingStationOptions['hardware']>) =>
  typeof ctx.options.hardware?.[op] === 'function';

export const blocks2x: readonly Block[] = [
  (ctx) => shared(bootUseCase, ctx.options.info),
  () => securityUseCase,
  () => networkShared,
  (ctx) =>
    shared(resetUseCase, {
      evseReset: gave(ctx, 'resetEvse'),
      resumable: ctx.versions.every((v) => v === 'ocpp2.1'),
    }),
  () => deviceModelShared,
  () => triggerShared,
  (ctx) =>
    shared(localListUseCase, {
      maxEntries: ctx.options.authorization?.localListMaxEntries ?? DEFAULT_LOCAL_LIST_LIMITS.maxEntries,
    }),
  (ctx) =>
    shared(authorizationOf, {
      limits: {
        maxEntries: ctx.options.authorization?.cacheMaxEntries ?? DEFAULT_CACHE_LIMITS.maxEntries,
        maxBytes: ctx.options.authorization?.cacheMaxBytes ?? DEFAULT_CACHE_LIMITS.maxBytes,
      },
      // C16.FR.01: a master pass UI where the integrator gave one.
      ui: { masterPassUi: gave(ctx, 'masterPassSelect') },
    }),
  () => reservationUseCase,
  // E17: a transaction may resume after a restart only where every offered version has TxResumed (2.1).
  // I02.FR.02, E16.FR.15: E answers CostUpdated where block I's driver cost (with a display) does not.
  (ctx) =>
    shared(transactionsUseCase, {
      resumable: ctx.versions.every((v) => v === 'ocpp2.1'),
      answerCostUpdated: !gave(ctx, 'showDisplay'),
      relockAfterReset: gave(ctx, 'lockConnector') && gave(ctx, 'unlockConnector'),
    }),
  () => meterValuesUseCase,
  () => smartChargingUseCase,
  (ctx) => shared(remoteControlUseCase, { canUnlock: gave(ctx, 'unlockConnector') }),
  (ctx) =>
    shared(firmwareUseCase, {
      canInstall: gave(ctx, 'installFirmware'),
      rootCertificates: ctx.options.firmware?.rootCertificates ?? [],
      requireSigned: ctx.options.firmware?.requireSigned ?? false,
      duringTransactions: ctx.options.firmware?.duringTransactions ?? 'download',
      firmwareVersion: ctx.options.info.firmwareVersion,
    }),
  (ctx) => shared(getLogUseCase, { canDiagnose: gave(ctx, 'diagnosticsLog') }),
  () => transferStatusUseCase,
  () => derUseCase,
  () => batterySwapUseCase,
  () => v2xUseCase,
  () => connectedEvUseCase,
  (ctx) => shared(monitoringOf, ctx.options.monitoring),
  () => customerInformationUseCase,
  () => periodicStreamsUseCase,
  (ctx) =>
    certificatesUseCase({
      keys: keyFolderOf(ctx.options),
      maxEntries: ctx.options.certificates?.maxEntries ?? DEFAULT_CERTIFICATE_LIMITS.maxEntries,
      configuredRoots: ctx.network.configured.flatMap((p) =>
        [p.tls?.ca ?? []].flat().map((pem) => (typeof pem === 'string' ? pem : pem.toString('utf8'))),
      ),
      configuredCertificates: ctx.network.configured.flatMap((p) =>
        [p.tls?.cert ?? []].flat().map((pem) => (typeof pem === 'string' ? pem : pem.toString('utf8'))),
      ),
      ...(ctx.options.certificates?.renewBeforeDays !== undefined
        ? { renewBeforeMs: ctx.options.certificates.renewBeforeDays * 86_400_000 }
        : {}),
      replaceInitial: ctx.options.certificates?.replaceInitialCertificate === true,
    }),
  // I01–I06: the driver's tariff and cost, for the display (only where there is one).
  (ctx) => (gave(ctx, 'showDisplay') ? driverCostUseCase : undefined),
  // 2.1 I07–I11: the tariffs the CSMS installs, where the integrator says the station calculates cost.
  (ctx) => (ctx.options.tariffs ? tariffsUseCase(ctx.options.tariffs) : undefined),
  // 2.1 C25: the QR code of a web payment, on the display (only where there is one; WebPaymentsCtrlr says the rest).
  (ctx) => (gave(ctx, 'showDisplay') ? webPaymentUseCase : undefined),
  // 2.1 C18–C22: ad hoc payment through the integrator's payment terminal (PaymentCtrlr says the rest).
  (ctx) => (gave(ctx, 'paymentAuthorize') ? paymentTerminalUseCase : undefined),
  // P01: only with the integrator's handlers; without them an integrator's own use case may answer DataTransfer, and
  // the facade answers UnknownVendorId when none does.
  (ctx) => (ctx.options.dataTransfer ? dataTransferUseCase(ctx.options.dataTransfer) : undefined),
];

/**
 * Runs last, after the integrator's own use cases: connector statuses are derived from what the use cases before
 * it decided for the same event. The display (block O, only with a display: `hardware.showDisplay`) follows them:
 * the messages meant for a station state read the statuses of the same event.
 */
export const lastBlocks2x: readonly Block[] = [
  () => availabilityUseCase,
  (ctx) => (gave(ctx, 'showDisplay') ? shared(displayUseCase, displaySettings(ctx.options.display)) : undefined),
];

/** The use cases of a station offering `versions`: the blocks, the integrator's own, then the last blocks. */
export function useCasesFor(ctx: BlockContext): AnyUseCase[] {
  const all = [...blocks2x.map((b) => b(ctx)), ...(ctx.options.useCases ?? []), ...lastBlocks2x.map((b) => b(ctx))];
  // A use case of some versions only is registered where one of them is offered; a block the station's hardware
  // cannot serve is none.
  return all.filter(
    (uc): uc is AnyUseCase =>
      uc !== undefined && (uc.versions === undefined || uc.versions.some((v) => ctx.versions.includes(v))),
  );
}

/**
 * The blocks of the OCPP 1.6J station (runtime/station/v16/, one folder per feature profile), in the order the shell
 * runs them; the connector statuses (`v16/core-profile/status.ts`) last, derived from what the others decided.
 */
export function useCases16(options: ChargingStationOptions): AnyUseCase<Family16>[] {
  const gave16 = (op: keyof NonNullable<ChargingStationOptions['hardware']>) =>
    typeof options.hardware?.[op] === 'function';
  const localListMax = options.authorization?.localListMaxEntries ?? DEFAULT_LOCAL_LIST_LIMITS.maxEntries;
  const initial = initialValues(options.variables);
  // Firmware Management (block v16 firmware): offered with the hardware to install firmware or give diagnostics.
  const firmware = { canInstall: gave16('installFirmware'), canDiagnose: gave16('diagnosticsLog') };
  const offered = [
    KEYS16.SupportedFeatureProfiles.value,
    ...(firmware.canInstall || firmware.canDiagnose ? ['FirmwareManagement'] : []),
  ].join(',');
  // A profile the integrator leaves out of SupportedFeatureProfiles (read-only: its value is theirs) has no block:
  // its actions get CALLERROR NotSupported (Station16).
  const profiles = csl(initial.SupportedFeatureProfiles ?? offered);
  const pricing = initial.CustomDisplayCostAndPrice === 'true';
  return [
    configurationUseCase(
      initial,
      {
        NumberOfConnectors: String(connectors16(options.evses).length),
        LocalAuthListMaxLength: String(localListMax),
        SendLocalListMaxLength: String(localListMax),
        SupportedFeatureProfiles: profiles.join(','),
        SupportedFeatureProfilesMaxLength: String(csl(profiles.join(',')).length),
        CertificateStoreMaxLength: String(options.certificates?.maxEntries ?? DEFAULT_CERTIFICATE_LIMITS.maxEntries),
        SecurityProfile: String((options.csms ?? options.networkProfiles?.[0])?.securityProfile ?? 0),
      },
      {
        // A05 / TC_083_CS: only upwards, and only to a profile the station can use.
        SecurityProfile: (value, view) => upgradeProblem(value, view, options) === undefined,
      },
    ),
    boot16UseCase(options.info),
    localList16UseCase,
    authorization16UseCase({
      maxEntries: options.authorization?.cacheMaxEntries ?? DEFAULT_CACHE_LIMITS.maxEntries,
      maxBytes: options.authorization?.cacheMaxBytes ?? DEFAULT_CACHE_LIMITS.maxBytes,
    }),
    reservation16UseCase,
    transactions16UseCase,
    firmware16UseCase({
      ...firmware,
      firmwareVersion: options.info.firmwareVersion,
      rootCertificates: options.firmware?.rootCertificates ?? [],
    }),
    security16UseCase({
      canDiagnose: firmware.canDiagnose,
      maxCertificates: options.certificates?.maxEntries ?? DEFAULT_CERTIFICATE_LIMITS.maxEntries,
      keys: keyFolderOf(options),
      configuredRoots: [(options.csms ?? options.networkProfiles?.[0])?.tls?.ca ?? []]
        .flat()
        .map((pem) => (typeof pem === 'string' ? pem : pem.toString('utf8'))),
    }),
    // The application notes carried in DataTransfer, by vendorId: ISO 15118 Plug & Charge (v16/iso15118/).
    // California pricing (v16/pricing/) when the integrator enables it with CustomDisplayCostAndPrice.
    dataTransfer16UseCase({
      [PNC_VENDOR]: pncVendor({
        keys: keyFolderOf(options),
        maxCertificates: options.certificates?.maxEntries ?? DEFAULT_CERTIFICATE_LIMITS.maxEntries,
      }),
      ...(pricing ? { [COST_VENDOR]: pricingVendor } : {}),
    }),
    pnc16UseCase({ keys: keyFolderOf(options) }),
    ...(pricing ? [pricing16UseCase({ readMeter: gave16('readMeter') })] : []),
    clockAligned16UseCase,
    reset16UseCase({ canUnlock: gave16('unlockConnector') }),
    trigger16UseCase,
    ...(profiles.includes('SmartCharging') ? [smartCharging16UseCase({ supplyPhases: options.supplyPhases })] : []),
    status16UseCase,
  ];
}
