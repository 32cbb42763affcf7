// The response type of use case E's GetTransactionStatus answerer, for station-transactions.ts.
import type { Answer, HardwareAnswer } from '../../runtime/station/core/types.js';
import type { transactionsUseCase } from '../../runtime/station/E-transactions/transactions.js';

type Answerer = NonNullable<NonNullable<ReturnType<typeof transactionsUseCase>['answers']>['GetTransactionStatus']>;
type Result = ReturnType<Answerer>;

export interface TransactionsUseCase {
  getTransactionStatus: Result extends Answer<any, infer R> ? R : Result extends HardwareAnswer<any, infer R> ? R : never;
}
