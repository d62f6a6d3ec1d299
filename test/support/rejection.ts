import { isAccordError } from '../../src/errors/index.js';
import type { ErrorCode } from '../../src/errors/index.js';

/** The AccordError `promise` rejects with, as `{ code, message }`; anything else (or no rejection) fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<{ code: ErrorCode; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isAccordError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an AccordError');
}
