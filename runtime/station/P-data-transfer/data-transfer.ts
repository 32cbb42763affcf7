// P01 Data Transfer to the Charging Station: the integrator answers vendor DataTransfer requests with handlers keyed
// by vendorId and messageId (`options.dataTransfer`); what no handler covers gets UnknownVendorId (P01.FR.05) or
// UnknownMessageId (P01.FR.06). P02 (to the CSMS) is `ChargingStation.dataTransfer()`.
//
// The handlers are the integrator's code and may be asynchronous: the use case stays pure by asking for the answer
// as a hardware operation (`dataTransfer`), which the station routes to the handler (routeDataTransfer below).
import type { DataTransferRequest, DataTransferResponse } from '../../../generated/v201/types.js';
import type { UseCase } from '../core/types.js';

declare module '../core/registry.js' {
  interface HardwareOperations {
    /**
     * P01: answer a DataTransfer from the CSMS whose vendorId (and messageId) `options.dataTransfer` handles. Given
     * directly, it answers every vendorId the handlers list (its own routing); usually it is built from the handlers.
     */
    dataTransfer(request: DataTransferRequest): DataTransferReply | Promise<DataTransferReply>;
  }
}

/** What a handler answers: Accepted or Rejected and its data, as agreed with the CSMS's vendor (P01.FR.07). */
export type DataTransferReply = Omit<DataTransferResponse, 'customData'>;

/**
 * One message's handler: a function of the request's data, or one with a check of the data that types it (data the
 * check refuses is answered Rejected, reasonCode InvalidValue, without calling `answer`).
 */
export type MessageHandler<D = unknown> =
  | ((data: unknown, request: DataTransferRequest) => DataTransferReply | Promise<DataTransferReply>)
  | {
      accepts(data: unknown): data is D;
      answer(data: D, request: DataTransferRequest): DataTransferReply | Promise<DataTransferReply>;
    };

/** One vendor's handlers: by messageId, and for requests without a messageId (or with one not listed) `any`. */
export interface VendorHandlers {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each message types its own data
  messages?: Record<string, MessageHandler<any>>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  any?: MessageHandler<any>;
}

/** The integrator's DataTransfer handlers by vendorId (reversed DNS names, P01.FR.02). */
export type DataTransferHandlers = Record<string, VendorHandlers>;

/** A typed handler: `handler((d): d is Ping => …, (ping) => ({ status: 'Accepted' }))`. */
export function handler<D>(
  accepts: (data: unknown) => data is D,
  answer: (data: D, request: DataTransferRequest) => DataTransferReply | Promise<DataTransferReply>,
): MessageHandler<D> {
  return { accepts, answer };
}

/** Who answers a request: a handler, or the status that says there is none (P01.FR.05/06). */
export function handlerFor(
  handlers: DataTransferHandlers,
  request: Pick<DataTransferRequest, 'vendorId' | 'messageId'>,
): MessageHandler | 'UnknownVendorId' | 'UnknownMessageId' {
  const vendor = Object.hasOwn(handlers, request.vendorId) ? handlers[request.vendorId] : undefined;
  if (!vendor) return 'UnknownVendorId';
  const own =
    request.messageId !== undefined && vendor.messages && Object.hasOwn(vendor.messages, request.messageId)
      ? vendor.messages[request.messageId]
      : undefined;
  return own ?? vendor.any ?? 'UnknownMessageId';
}

/** The `dataTransfer` hardware operation made of the handlers. */
export function routeDataTransfer(handlers: DataTransferHandlers) {
  return async (request: DataTransferRequest): Promise<DataTransferReply> => {
    const h = handlerFor(handlers, request);
    if (typeof h === 'string') return { status: h };
    if (typeof h === 'function') return h(request.data, request);
    if (!h.accepts(request.data)) return { status: 'Rejected', statusInfo: { reasonCode: 'InvalidValue' } };
    return h.answer(request.data, request);
  };
}

const STATUSES: readonly string[] = ['Accepted', 'Rejected', 'UnknownMessageId', 'UnknownVendorId'];

/**
 * Block P on the station: answers DataTransfer by the handlers' vendorIds and messageIds. A handler that fails or
 * answers something that is no DataTransferResponse is answered Rejected (the CSMS gets an answer either way).
 */
export function dataTransferUseCase(handlers: DataTransferHandlers): UseCase<object> {
  return {
    name: 'dataTransfer',
    init: () => ({}),
    answers: {
      DataTransfer(_state, request) {
        const h = handlerFor(handlers, request);
        // P01.FR.05, P01.FR.06
        if (typeof h === 'string') return { response: { status: h } };
        return {
          askHardware: {
            call: { op: 'dataTransfer', args: [withoutCustom(request)] },
            respond: (outcome): DataTransferResponse => {
              if (!outcome.ok) return { status: 'Rejected', statusInfo: { reasonCode: 'InternalError' } };
              return isReply(outcome.result)
                ? outcome.result
                : { status: 'Rejected', statusInfo: { reasonCode: 'InternalError' } };
            },
          },
        };
      },
    },
  };
}

function withoutCustom(request: DataTransferRequest): DataTransferRequest {
  const { customData: _, ...rest } = request;
  return rest;
}

function isReply(value: unknown): value is DataTransferReply {
  return (
    value !== null &&
    typeof value === 'object' &&
    'status' in value &&
    typeof value.status === 'string' &&
    STATUSES.includes(value.status)
  );
}

/** The options with the `dataTransfer` operation built from `options.dataTransfer` (unless the integrator gave one). */
export function withDataTransfer<O extends { dataTransfer?: DataTransferHandlers; hardware?: object }>(options: O): O {
  if (!options.dataTransfer || (options.hardware && 'dataTransfer' in options.hardware)) return options;
  return { ...options, hardware: { ...options.hardware, dataTransfer: routeDataTransfer(options.dataTransfer) } };
}

/** Checks `options.dataTransfer`; `fail(field, problem)` throws (the station's StationOptionsError). */
export function checkDataTransferHandlers(
  h: DataTransferHandlers | undefined,
  fail: (field: string, problem: string) => never,
): void {
  if (h === undefined) return;
  if (h === null || typeof h !== 'object') fail('dataTransfer', 'must be { [vendorId]: { messages?, any? } }');
  const isHandler = (x: unknown) =>
    typeof x === 'function' ||
    (x !== null && typeof x === 'object' && 'accepts' in x && 'answer' in x && typeof x.answer === 'function');
  for (const [vendorId, v] of Object.entries(h)) {
    const f = `dataTransfer[${JSON.stringify(vendorId)}]`;
    if (vendorId.length === 0 || vendorId.length > 255) fail(f, 'a vendorId has 1 to 255 characters');
    if (v === null || typeof v !== 'object') fail(f, 'must be { messages?, any? }');
    if (v.any !== undefined && !isHandler(v.any)) fail(`${f}.any`, 'must be a handler');
    for (const [messageId, m] of Object.entries(v.messages ?? {}))
      if (!isHandler(m)) fail(`${f}.messages[${JSON.stringify(messageId)}]`, 'must be a handler');
  }
}
