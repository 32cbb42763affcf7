// 1.6 §5.6 DataTransfer from the Central System, routed by vendorId to the application notes the station implements
// (ISO 15118 Plug & Charge: iso15118/; California pricing: pricing/). Each vendor's handler is a pure function of the
// request and the view; what it changes in a block's state it raises as an event in `after`. An unknown vendorId is
// UnknownVendorId; a known vendor's unknown messageId is its handler's UnknownMessageId (§4.3/§5.6).
import type { DataTransferRequest, DataTransferResponse } from '../../../../generated/v16/types.js';
import type { Family16 } from '../../core/family.js';
import type { Answer, StationView, UseCase } from '../../core/types.js';

export type VendorAnswer = Answer<undefined, DataTransferResponse, Family16>;
export type VendorHandler = (request: DataTransferRequest, view: StationView<Family16>) => VendorAnswer;

/** The JSON object a DataTransfer's `data` carries, or undefined when it is not one. */
export function dataObject(data: string | undefined): Record<string, unknown> | undefined {
  if (data === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(data);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A DataTransfer.conf Accepted with the wrapped response as JSON text. */
export const acceptedWith = (response: object): DataTransferResponse => ({
  status: 'Accepted',
  data: JSON.stringify(response),
});

export function dataTransfer16UseCase(vendors: Readonly<Record<string, VendorHandler>>): UseCase<undefined, Family16> {
  return {
    name: 'v16.dataTransfer',
    init: () => undefined,
    on: () => undefined,
    answers: {
      DataTransfer(_state, request, view) {
        const handler = Object.hasOwn(vendors, request.vendorId) ? vendors[request.vendorId] : undefined;
        return handler ? handler(request, view) : { response: { status: 'UnknownVendorId' } };
      },
    },
  };
}
