export { AccordError, isAccordError } from './accord-error.js';
export type { AccordErrorOptions } from './accord-error.js';
export { ErrorCodes } from './codes.js';
export type { ErrorCode } from './codes.js';
export { ExitCodes } from './exit-codes.js';
export { PRINTABLE_MAX, printable } from './printable.js';
