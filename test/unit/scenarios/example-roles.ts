import type { SequenceParticipants } from '../../../src/scenarios/index.js';

/** The example system's roles as examples/orders/config/integration/scenarios.yaml gives them (a test checks they agree). */
export const EXAMPLE_ROLES: SequenceParticipants = {
  consumer: { service: 'service-a', label: 'service-a (orders)' },
  provider: { service: 'service-b', label: 'service-b (inventory)' },
  worker: { service: 'service-c', label: 'service-c (fulfilment)', writes: 'INSERT shipment + processed event (one transaction)' },
};
