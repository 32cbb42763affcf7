// OCPP 2.1 periodic event streams (N11–N15): a monitor set with `periodicEventStream` (or an integrator's monitor
// carrying `stream`) reports its values over a stream instead of one NotifyEvent each. The station opens the stream
// (OpenPeriodicEventStream, N11.FR.02/03), buffers the values, and flushes them as NotifyPeriodicEventStream — a SEND
// message, never answered nor queued (N15.FR.01) — every `interval` seconds (N15.FR.06, at most `values` at a time,
// N15.FR.07) or as soon as `values` values wait (N15.FR.08). Removing the monitor, or replacing it without a
// stream, flushes and closes it (ClosePeriodicEventStream, N13.FR.01/03/05/06). A stream the CSMS rejects is not
// used: the monitor reports with NotifyEvent again (N11.FR.07). Streams live as long as the connection.
import type { ConstantStreamDataType, PeriodicEventStreamParamsType } from '../../../../generated/v21/types.js';
import { byEventType, type Effect, type StationView, type Step, type UseCase } from '../../core/types.js';
import { MONITORING_DEFAULTS } from './device-model.js';

declare module '../../core/registry.js' {
  interface OwnEvents {
    /** Block N monitoring → streams: this monitor wants a periodic event stream with these parameters. */
    'monitoring.streamWanted': { monitorId: number; params: PeriodicEventStreamParamsType };
    /** Block N monitoring → streams: the monitor is gone, or no longer wants a stream. */
    'monitoring.streamDropped': { monitorId: number };
    /** Block N monitoring → streams: a value of a monitor whose stream is open (`streamFor`). */
    'monitoring.streamValue': { monitorId: number; value: string; at: number };
    /** A stream's flush interval has passed. */
    'stream.flush': { id: number };
  }
  interface StationQueries {
    /** N15: whether the monitor's values go to an open periodic event stream (else: NotifyEvent). */
    streamFor(monitorId: number): boolean;
  }
}

interface Stream {
  id: number;
  monitorId: number;
  params: PeriodicEventStreamParamsType;
  /** Opening: OpenPeriodicEventStream not answered yet (values still go by NotifyEvent). */
  open: boolean;
  buffer: Array<{ at: number; v: string }>;
}

export interface StreamsState {
  streams: Stream[];
  nextId: number;
}

const TAG = 'stream.open.';
const timerId = (id: number) => `stream.flush.${id}`;

export const periodicStreamsUseCase: UseCase<StreamsState> = {
  name: 'periodicStreams',
  versions: ['ocpp2.1'],
  init: () => ({ streams: [], nextId: 1 }),

  queries: {
    streamFor: (state, _view, monitorId) => state.streams.some((s) => s.monitorId === monitorId && s.open),
  },

  on: byEventType({
    'monitoring.streamWanted': (state, event, view) => {
      const existing = state.streams.find((s) => s.monitorId === event.monitorId);
      if (existing) return adjust(state, existing.id, event.params, view);
      const max =
        view.variables.int('MonitoringCtrlr', 'MaxPeriodicEventStreams') ?? MONITORING_DEFAULTS.maxPeriodicEventStreams;
      // Beyond the streams the station offers, the monitor reports with NotifyEvent.
      if (state.streams.length >= max || !usable(event.params)) return undefined;
      const stream: Stream = {
        id: state.nextId,
        monitorId: event.monitorId,
        params: event.params,
        open: false,
        buffer: [],
      };
      const constantStreamData: ConstantStreamDataType = {
        id: stream.id,
        params: event.params,
        variableMonitoringId: event.monitorId,
      };
      return {
        state: { streams: [...state.streams, stream], nextId: state.nextId + 1 },
        effects: [
          {
            type: 'send',
            action: 'OpenPeriodicEventStream',
            payload: { constantStreamData },
            tag: `${TAG}${stream.id}`,
            // Direct: the station is connected and Accepted when a stream is wanted; the dispatcher may not be
            // online yet at the moment of connecting.
            direct: true,
          },
        ],
      };
    },
    reply: (state, event) => {
      if (!event.tag.startsWith(TAG)) return undefined;
      const id = Number(event.tag.slice(TAG.length));
      const stream = state.streams.find((s) => s.id === id);
      const accepted =
        event.action === 'OpenPeriodicEventStream' &&
        event.result.status === 'sent' &&
        event.result.response.status === 'Accepted';
      // The monitor went while the CSMS was deciding: a stream it accepted is closed at once (N13.FR.01).
      if (!stream)
        return accepted
          ? { state, effects: [{ type: 'send', action: 'ClosePeriodicEventStream', payload: { id } }] }
          : undefined;
      // N11.FR.07: rejected (or not answered): not used.
      if (!accepted) return { state: { ...state, streams: state.streams.filter((s) => s.id !== id) } };
      const opened = { ...stream, open: true };
      return { state: replace(state, opened), effects: arm(opened) };
    },
    'monitoring.streamValue': (state, event, view) => {
      const stream = state.streams.find((s) => s.monitorId === event.monitorId && s.open);
      if (!stream) return undefined;
      const filled = { ...stream, buffer: [...stream.buffer, { at: event.at, v: event.value.slice(0, 2500) }] };
      const values = filled.params.values ?? 0;
      // N15.FR.08: as soon as `values` values wait.
      if (values > 0 && filled.buffer.length >= values) return flush(replace(state, filled), filled, view, false);
      return { state: replace(state, filled) };
    },
    'stream.flush': (state, event, view) => {
      const stream = state.streams.find((s) => s.id === event.id && s.open);
      if (!stream) return undefined;
      const step = flush(state, stream, view, false);
      return { state: step.state, effects: [...(step.effects ?? []), ...arm(stream)] };
    },
    'monitoring.streamDropped': (state, event, view) => {
      const stream = state.streams.find((s) => s.monitorId === event.monitorId);
      if (!stream) return undefined;
      // N13.FR.03: what is buffered goes first; N13.FR.01: then the CSMS is told.
      const flushed = stream.open ? flush(state, stream, view, true) : { state, effects: [] };
      return {
        state: { ...flushed.state, streams: flushed.state.streams.filter((s) => s.id !== stream.id) },
        effects: [
          ...(flushed.effects ?? []),
          { type: 'cancelTimer', id: timerId(stream.id) },
          ...(stream.open
            ? [{ type: 'send' as const, action: 'ClosePeriodicEventStream' as const, payload: { id: stream.id } }]
            : []),
        ],
      };
    },
    // SEND messages are never queued: a stream ends with its connection (the monitors open new ones on the next).
    disconnected: (state) =>
      state.streams.length
        ? {
            state: { ...state, streams: [] },
            effects: state.streams.map((s) => ({ type: 'cancelTimer' as const, id: timerId(s.id) })),
          }
        : undefined,
  }),

  answers: {
    // N12.FR.01: every open stream with its constant data.
    GetPeriodicEventStream: (state) => {
      const open = state.streams.filter((s) => s.open);
      return {
        response: open.length
          ? { constantStreamData: open.map((s) => ({ id: s.id, params: s.params, variableMonitoringId: s.monitorId })) }
          : {},
      };
    },
    // N14.FR.02/03: new parameters for an open stream; an unknown stream or unusable parameters are Rejected.
    AdjustPeriodicEventStream(state, request, view) {
      const stream = state.streams.find((s) => s.id === request.id && s.open);
      if (!stream) return { response: { status: 'Rejected', statusInfo: { reasonCode: 'NotFound' } } };
      if (!usable(request.params))
        return { response: { status: 'Rejected', statusInfo: { reasonCode: 'InvalidValue' } } };
      const step = adjust(state, stream.id, request.params, view);
      return { state: step.state, response: { status: 'Accepted' }, after: step.effects ?? [] };
    },
  },
};

/** N11.FR.09: interval or values (or both), neither negative. */
function usable(params: PeriodicEventStreamParamsType): boolean {
  const { interval, values } = params;
  if (interval === undefined && values === undefined) return false;
  return (
    (interval === undefined || interval >= 0) &&
    (values === undefined || values >= 0) &&
    ((interval ?? 0) > 0 || (values ?? 0) > 0)
  );
}

function replace(state: StreamsState, stream: Stream): StreamsState {
  return { ...state, streams: state.streams.map((s) => (s.id === stream.id ? stream : s)) };
}

function adjust(
  state: StreamsState,
  id: number,
  params: PeriodicEventStreamParamsType,
  _view: StationView,
): Step<StreamsState> {
  const stream = state.streams.find((s) => s.id === id)!;
  const next = { ...stream, params };
  return {
    state: replace(state, next),
    effects: next.open ? [{ type: 'cancelTimer', id: timerId(id) }, ...arm(next)] : [],
  };
}

/** N15.FR.06: a flush every `interval` seconds. */
function arm(stream: Stream): Effect[] {
  const interval = stream.params.interval ?? 0;
  return interval > 0
    ? [{ type: 'timer', id: timerId(stream.id), ms: interval * 1000, event: { type: 'stream.flush', id: stream.id } }]
    : [];
}

/**
 * Sends buffered values: at most `values` per message (N15.FR.07), `pending` the number left (N15.FR.04), basetime
 * the first value's time and t the seconds after it (N15.FR.09). `all`: until the buffer is empty (closing).
 */
function flush(state: StreamsState, stream: Stream, _view: StationView, all: boolean): Step<StreamsState> {
  const per = (stream.params.values ?? 0) > 0 ? stream.params.values! : Infinity;
  const effects: Effect[] = [];
  let buffer = stream.buffer;
  // Bounded: each round takes at least one value.
  while (buffer.length > 0) {
    const batch = buffer.slice(0, per);
    buffer = buffer.slice(batch.length);
    const base = batch[0]!.at;
    effects.push({
      type: 'sendMessage',
      action: 'NotifyPeriodicEventStream',
      payload: {
        id: stream.id,
        pending: buffer.length,
        basetime: new Date(base).toISOString(),
        data: batch.map((x) => ({ t: (x.at - base) / 1000, v: x.v })),
      },
    });
    if (!all) break;
  }
  return { state: replace(state, { ...stream, buffer }), effects };
}
