import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { printable } from '../../errors/index.js';
import { BrokerProblem } from '../problem.js';

const TITLES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type', 500: 'Internal Server Error' };

/**
 * `application/problem+json` unless the caller accepts only HAL/JSON: the official Rust client
 * reads the `errors` of a 400 only from a hal+json or json body (the Pact Broker negotiates the same way).
 */
function problemContentType(request: FastifyRequest): string {
  const accept = request.headers.accept ?? '';
  const wantsHalOnly = /application\/(hal\+)?json/.test(accept) && !accept.includes('problem+json') && !accept.includes('*/*');
  return wantsHalOnly ? 'application/hal+json; charset=utf-8' : 'application/problem+json';
}

/**
 * Every error as `application/problem+json`; the body also carries the Pact Broker's `errors`
 * map (and `notices`), which is what the official clients read and print.
 */
export function replyProblem(error: FastifyError | BrokerProblem | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let status = 500;
  let detail = 'internal error';
  let errors: Record<string, string[]> | undefined;
  let notices: Array<{ type: string; text: string }> | undefined;
  if (error instanceof BrokerProblem) {
    status = error.status;
    detail = error.message;
    errors = error.errors;
    notices = error.notices;
  } else {
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      status = 400;
      const messages = fastifyError.validation.map((issue) => {
        const path = `${fastifyError.validationContext ?? 'body'}${issue.instancePath.replaceAll('/', '.')}`;
        const extra = issue.keyword === 'additionalProperties' ? ` (${String((issue.params as { additionalProperty?: unknown }).additionalProperty)})` : '';
        return `${path}: ${issue.message ?? 'is invalid'}${extra}`;
      });
      detail = messages.join('; ');
      errors = { body: messages };
    } else if (fastifyError.statusCode && fastifyError.statusCode < 500) {
      status = fastifyError.statusCode;
      detail =
        fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fastifyError.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' || error instanceof SyntaxError
          ? `the request body is not valid JSON: ${error.message}`
          : error.message;
      errors = { body: [detail] };
    } else {
      request.log.error({ err: error }, 'unhandled broker error');
    }
  }
  const title = TITLES[status] ?? 'Error';
  return reply
    .code(status)
    .type(problemContentType(request))
    .send({
      type: `https://accord.dev/problems/${title.toLowerCase().replaceAll(' ', '-')}`,
      title,
      status,
      detail,
      // The path as asked, printable and cut: a URL of over-long names is not echoed whole.
      instance: printable(request.url.split('?')[0] ?? '', 200),
      ...(errors ? { errors } : {}),
      ...(notices ? { notices } : {}),
    });
}
