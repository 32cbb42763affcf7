// ocppkit/csms: the built-in CSMS — accepts stations, answers every station message with a valid default, logs
// every message and sends CSMS-initiated calls. For trying a station out and for its tests; a real CSMS is built on
// CsmsServer (ocppkit).
export {
  SimpleCsms,
  type CsmsVersion,
  type LoggedMessage,
  type Responder,
  type SimpleCsmsEvents,
  type SimpleCsmsOptions,
} from './simple-csms.js';
