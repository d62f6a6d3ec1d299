/** JSON schemas fastify validates requests with (ajv); a failure answers 400 problem+json. */

/** Body of POST /orders; sku and quantity follow Service B's rules. Unknown properties are ignored. */
export const orderBody = {
  type: 'object',
  required: ['sku', 'quantity'],
  properties: {
    sku: { type: 'string', pattern: '^[A-Z0-9-]{3,32}$' },
    quantity: { type: 'integer', minimum: 1, maximum: 1000 },
    customerId: { type: 'string', minLength: 1, maxLength: 128 },
  },
} as const;

/** Headers of POST /orders that carry meaning. */
export const orderHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': { type: 'string', minLength: 1, maxLength: 128 },
  },
} as const;

/** Path parameters of the order routes. */
export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string' } },
} as const;
