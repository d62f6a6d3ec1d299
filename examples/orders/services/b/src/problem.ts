/** An RFC 9457 problem document, the body of every error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  correlationId: string;
}

/** The media type of error responses. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, { slug: string; title: string }> = {
  400: { slug: 'bad-request', title: 'Bad Request' },
  401: { slug: 'unauthorized', title: 'Unauthorized' },
  404: { slug: 'not-found', title: 'Not Found' },
  409: { slug: 'insufficient-stock', title: 'Insufficient Stock' },
  413: { slug: 'payload-too-large', title: 'Payload Too Large' },
  415: { slug: 'unsupported-media-type', title: 'Unsupported Media Type' },
  500: { slug: 'internal-error', title: 'Internal Server Error' },
  503: { slug: 'service-unavailable', title: 'Service Unavailable' },
};

/** Builds the problem document for `status`; the type is a stable relative URI per kind of error. */
export function problem(status: number, detail: string, correlationId: string): Problem {
  const known = TITLES[status] ?? { slug: `http-${status}`, title: `HTTP ${status}` };
  return { type: `/problems/${known.slug}`, title: known.title, status, detail, correlationId };
}

/** Thrown by handlers to answer with a problem document; the app's error handler renders it. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}
