// ocppkit/cost: the 2.1 local cost calculation (Part 2 block I, I12) as a pure function, with exact decimal money.
export { costDetails, type CostInput, type CostResult, type UsageSample } from './cost.js';
export { fromNumber, toDecimal, type Rational } from './decimal.js';
