// Generated from template.schema.json by json-schema-to-typescript (test/fleet/template.test.ts checks it; UPDATE=1
// node scripts/test.mjs test/fleet/template rewrites it). Edit the schema, not this file.

/**
 * What `ocppkit fleet --template <file>` reads: the simulated stations, their sessions, the ramp and the run's duration. Every field has a default.
 */
export interface FleetTemplate {
  /**
   * The schema this file follows (editors use it).
   */
  $schema?: string;
  /**
   * What every simulated station is.
   */
  stations?: {
    /**
     * How many stations (--stations overrides).
     */
    count?: number;
    /**
     * The identity pattern: {n} is the station's number.
     */
    identity?: string;
    /**
     * Zero padding of {n}: 4 gives CS-0001.
     */
    identityPad?: number;
    /**
     * The number of the first station.
     */
    firstNumber?: number;
    /**
     * BootNotification model.
     */
    model?: string;
    /**
     * BootNotification vendorName.
     */
    vendor?: string;
    firmwareVersion?: string;
    /**
     * EVSEs per station, one connector each (1.6: connectors).
     */
    evses?: number;
    /**
     * The most an EVSE delivers, W.
     */
    maxPowerW?: number;
    /**
     * The OCPP version of each station, taken in turn: ["ocpp1.6", "ocpp2.0.1"] makes every other station a 1.6 one.
     *
     * @minItems 1
     */
    versions?: ('ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1')[];
    /**
     * 2.0.1 / 2.1 stations: initial device-model values, Component.Variable → value.
     */
    deviceModel?: {
      [k: string]: string;
    };
    /**
     * 1.6 stations: initial configuration key values.
     */
    configuration16?: {
      [k: string]: string;
    };
    /**
     * How long a CALL waits for the CSMS's answer, s.
     */
    messageTimeoutSec?: number;
  };
  /**
   * Security profile 1 (ws:// + password) or 2 (wss:// + password); none when profile is absent.
   */
  security?: {
    profile?: 1 | 2;
    /**
     * The Basic-auth password pattern: {n} the number, {id} the identity.
     */
    password?: string;
    /**
     * Profile 2: a PEM file with the CA the CSMS certificate chains to.
     */
    ca?: string;
  };
  /**
   * The automatic session generator of every EVSE: plug, card, charge, unplug, pause.
   */
  sessions?: {
    plugDelaySec?: Range;
    /**
     * How often the driver presents the card before plugging in.
     */
    cardFirstProbability?: number;
    cardDelaySec?: Range;
    /**
     * The cards drivers present, one picked at random per session.
     *
     * @minItems 1
     */
    idTags?: string[];
    chargeSec?: Range;
    powerW?: Range;
    pauseSec?: Range;
    /**
     * Sessions per station, then it idles; 0: until the run ends (--sessions overrides).
     */
    perStation?: number;
  };
  ramp?: {
    /**
     * How fast stations are started (--ramp overrides).
     */
    stationsPerSecond?: number;
  };
  /**
   * How long the run lasts from the first start, s (--duration overrides).
   */
  durationSec?: number;
}
/**
 * From min to max (inclusive), drawn uniformly.
 *
 * This interface was referenced by `FleetTemplate`'s JSON-Schema
 * via the `definition` "range".
 */
export interface Range {
  min: number;
  max: number;
}
