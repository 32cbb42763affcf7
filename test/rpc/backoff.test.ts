// The back-off formula of Part 4 §5.3 (2.0.1) / §5.4 (2.1), as a pure function.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backoffDelayMs, DEFAULT_BACKOFF } from '../../runtime/rpc/index.js';
import { checkBackoffConfig } from '../../runtime/rpc/backoff.js';

test('TC_B_57_CS: with RetryBackOffRandomRange 0 the waits are WaitMinimum, then doubled up to RepeatTimes times', () => {
  const cfg = { retryBackOffWaitMinimum: 10, retryBackOffRandomRange: 0, retryBackOffRepeatTimes: 2 };
  assert.equal(
    [0, 1, 2, 3, 4].map((n) => backoffDelayMs(cfg, n, Math.random)),
    [10_000, 20_000, 40_000, 40_000, 40_000],
  );
});

test('Part 4 §8.2 RetryBackOffRandomRange: a new random part in [0, RandomRange] is added to every attempt, never compounded', () => {
  const cfg = { retryBackOffWaitMinimum: 3, retryBackOffRandomRange: 4, retryBackOffRepeatTimes: 10 };
  assert.is(
    backoffDelayMs(cfg, 0, () => 0),
    3_000,
  );
  assert.is(
    backoffDelayMs(cfg, 0, () => 0.999999),
    7_000,
  );
  assert.is(
    backoffDelayMs(cfg, 3, () => 0.5),
    26_000,
  );
  for (let i = 0; i < 200; i++) {
    const d = backoffDelayMs(cfg, 2, Math.random);
    assert.ok(d >= 12_000 && d <= 16_000, String(d));
  }
});

test('RetryBackOffRepeatTimes 0: the wait never grows; the defaults are valid', () => {
  const cfg = { retryBackOffWaitMinimum: 5, retryBackOffRandomRange: 0, retryBackOffRepeatTimes: 0 };
  assert.equal(
    [0, 1, 7].map((n) => backoffDelayMs(cfg, n, () => 0)),
    [5_000, 5_000, 5_000],
  );
  checkBackoffConfig(DEFAULT_BACKOFF);
  assert.throws(
    () => checkBackoffConfig({ ...DEFAULT_BACKOFF, retryBackOffWaitMinimum: -1 }),
    /backoff\.retryBackOffWaitMinimum/,
  );
});

test.run();
