/** JSON schemas fastify validates requests with (ajv); a failure answers 400 problem+json. */

/** The shape of a sku. */
export const SKU_PATTERN = '^[A-Z0-9-]{3,32}$';

/** Body of POST /reservations. Unknown properties are ignored, not rejected. */
export const reserveBody = {
  type: 'object',
  required: ['sku', 'quantity'],
  properties: {
    sku: { type: 'string', pattern: SKU_PATTERN },
    quantity: { type: 'integer', minimum: 1, maximum: 1000 },
  },
} as const;

/** Headers of POST /reservations that carry meaning. */
export const reserveHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': { type: 'string', minLength: 1, maxLength: 128 },
    'x-source-service': { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

/** Path parameters of the item routes. */
export const skuParams = {
  type: 'object',
  required: ['sku'],
  properties: { sku: { type: 'string' } },
} as const;

/** Path parameters of the reservation routes. */
export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string' } },
} as const;
