import type { Scenario } from 'accord';
import { bHangs } from './b-hangs.js';
import { bUnavailable } from './b-unavailable.js';
import { cDown } from './c-down.js';
import { cKilled } from './c-killed.js';
import { concurrentLastStock } from './concurrent-last-stock.js';
import { dataConsistency } from './data-consistency.js';
import { happyPath } from './happy-path.js';
import { poisonMessage } from './poison-message.js';
import { paymentsDown } from './payments-down.js';
import { paymentsRetryKey } from './payments-retry-key.js';
import { paymentsSlow } from './payments-slow.js';
import { postgresDown } from './postgres-down.js';
import { redisDown } from './redis-down.js';
import { redisPaused } from './redis-paused.js';

/**
 * The integration scenarios of the example system, in the order they run: the example's own
 * catalog, which names its services and tables (system.ts). config/integration/scenarios.yaml
 * names this module (`catalog:`); Accord loads it and hands each scenario a generic context. Each
 * scenario's `proves` feeds the gate's checklist.
 */
export const scenarios: readonly Scenario[] = Object.freeze([happyPath, bUnavailable, bHangs, dataConsistency, redisDown, postgresDown, concurrentLastStock,
  // The stream scenarios (A → stream → C → PostgreSQL).
  cDown,
  cKilled,
  poisonMessage,
  redisPaused,
  // The payment scenarios (A → the payments stub, B's reservation released on failure).
  paymentsDown,
  paymentsSlow,
  paymentsRetryKey,
]);

export default scenarios;
