import type { Reservation } from './service-b-client.js';

/** An order as the API shows it. */
export interface Order {
  id: string;
  sku: string;
  quantity: number;
  status: 'confirmed' | 'cancelled';
  reservationId: string;
  correlationId: string;
  createdAt: string;
}

/** An order as it is kept in Redis: the API's fields plus what the client sent that the API does not echo. */
export interface StoredOrder extends Order {
  customerId: string | null;
  /** The vendor's authorization the order holds (voided if the order fails after it). */
  paymentId?: string | null;
  /** What became of the payment when the order was cancelled; absent while it is authorized. */
  paymentStatus?: CancelledPaymentStatus;
}

/**
 * `voided`: the vendor released the hold. `void-pending`: the vendor could not be reached; a
 * repeated cancel voids again with the same Idempotency-Key, and the hold lapses at the vendor's
 * expiry otherwise. `void-failed`: the vendor refused (a captured payment, an unknown id): an
 * operator must refund or look.
 */
export type CancelledPaymentStatus = 'voided' | 'void-pending' | 'void-failed';

/** An order's status follows its reservation's. */
export function orderStatus(reservation: Reservation): Order['status'] {
  return reservation.status === 'active' ? 'confirmed' : 'cancelled';
}

/** The API's view of a stored order. */
export function toOrder(stored: StoredOrder): Order {
  const { customerId: _customerId, paymentId: _paymentId, paymentStatus: _paymentStatus, ...order } = stored;
  return order;
}
