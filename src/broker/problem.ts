/** An HTTP error the broker answers as `application/problem+json` (with the Pact Broker's `errors` map). */
export class BrokerProblem extends Error {
  override readonly name = 'BrokerProblem';
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    /** Field → messages, the shape the official clients print. */
    readonly errors?: Record<string, string[]>,
    /** Extra notices (the 409 on republishing different content carries them). */
    readonly notices?: Array<{ type: string; text: string }>,
  ) {
    super(detail);
  }
}

/** 404 naming the missing thing. */
export function notFound(what: string): BrokerProblem {
  return new BrokerProblem(404, 'Not Found', `${what} was not found`);
}

/** 400 with one message per offending field. */
export function badRequest(detail: string, errors?: Record<string, string[]>): BrokerProblem {
  return new BrokerProblem(400, 'Bad Request', detail, errors ?? { base: [detail] });
}
