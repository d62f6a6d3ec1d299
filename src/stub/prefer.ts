/** What a `Prefer` header asks the stub for. */
export interface Preference {
  /** `code=402`: answer this status. */
  readonly code?: number;
  /** `example=declined`: answer this named example. */
  readonly example?: string;
}

/** Reads Prism's `Prefer: code=402, example=insufficientFunds`; other preferences are ignored. */
export function parsePrefer(header: string | undefined): Preference {
  if (header === undefined || header === '') return {};
  const found: { code?: number; example?: string } = {};
  for (const part of header.split(/[,;]/)) {
    const [name, raw] = part.split('=').map((token) => token.trim());
    const value = raw?.replace(/^"(.*)"$/, '$1');
    if (name === 'code' && value !== undefined && /^\d{3}$/.test(value)) found.code = Number(value);
    if (name === 'example' && value) found.example = value;
  }
  return found;
}
