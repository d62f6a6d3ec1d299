/** What the `/metadata/{m}` segment of a pact URL carries back when results are published. */
export interface PactMetadata {
  /** The selectors that chose the pact: branch, tag, latest, environment, consumer version number. */
  s?: Array<{ b?: string; t?: string; l?: boolean; e?: string; cv?: string }>;
  /** Pending when it was handed out. */
  p?: boolean;
  /** Work in progress. */
  w?: boolean;
}

/** Encodes metadata as base64url JSON, as the broker does (`pacts/metadata.rb`). */
export function encodePactMetadata(metadata: PactMetadata): string {
  return Buffer.from(JSON.stringify(metadata)).toString('base64url');
}

/** Decodes a metadata segment; anything unreadable is treated as no metadata. */
export function decodePactMetadata(segment: string | undefined): PactMetadata {
  if (!segment) return {};
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as PactMetadata) : {};
  } catch {
    return {};
  }
}
