import type { Scenario } from '../scenario.js';
import { bHangs } from './b-hangs.js';
import { bUnavailable } from './b-unavailable.js';
import { concurrentLastStock } from './concurrent-last-stock.js';
import { dataConsistency } from './data-consistency.js';
import { happyPath } from './happy-path.js';
import { paymentsDown } from './payments-down.js';
import { paymentsRetryKey } from './payments-retry-key.js';
import { paymentsSlow } from './payments-slow.js';
import { postgresDown } from './postgres-down.js';
import { redisDown } from './redis-down.js';

/** The seven integration scenarios of the example system, in the order they run. */
export const SCENARIOS: readonly Scenario[] = Object.freeze([happyPath, bUnavailable, bHangs, dataConsistency, redisDown, postgresDown, concurrentLastStock, paymentsDown, paymentsSlow, paymentsRetryKey]);
