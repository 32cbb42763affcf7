// Use case E configured so that a transaction runs exactly while a cable is plugged in (TxStartPoint and TxStopPoint
// EVConnected): what the provisioning and availability tests need of a transaction. (It replaced the transaction
// stand-in those tests used before use case E merged.)
export const PLUG_TRANSACTIONS = {
  'TxCtrlr.TxStartPoint': 'EVConnected',
  'TxCtrlr.TxStopPoint': 'EVConnected',
} as const;
