import { createHash, timingSafeEqual } from 'node:crypto';

/** Returns a check of an Authorization header against `Bearer <token>`, in constant time. */
export function bearerCheck(token: string): (header: string | undefined) => boolean {
  // Comparing digests keeps the comparison constant-time whatever the header's length.
  const expected = digest(`Bearer ${token}`);
  return (header) => header !== undefined && timingSafeEqual(digest(header), expected);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
