import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isPlanwatchError, type ErrorCode } from '../errors.js';
import type { Views } from './views.js';

/**
 * Server errors (STYLE.md §5): what a user caused gets its own message and a 4xx; anything else
 * is logged in full with pino and answered with a generic 500, never a stack trace. API routes
 * answer JSON, pages an NHS-styled error page.
 */
export interface HttpProblem {
  status: number;
  code: string;
  message: string;
}

/** Refusals users cause, by code; any other PlanwatchError reaching a route is a bug (500). */
const PLANWATCH_STATUS: Partial<Record<ErrorCode, number>> = {
  E_USAGE: 400,
  E_INVALID: 400,
  E_PATIENT_DATA: 400,
  E_FORBIDDEN: 403,
  E_NOT_FOUND: 404,
  E_CONFLICT: 409,
};

// @fastify/csrf-protection's refusals: a form without its token, or a session without a secret.
const CSRF_CODES = new Set(['FST_CSRF_INVALID_TOKEN', 'FST_CSRF_MISSING_SECRET']);

export function problemOf(error: unknown): HttpProblem {
  if (isPlanwatchError(error)) {
    const status = PLANWATCH_STATUS[error.code];
    if (status !== undefined) return { status, code: error.code, message: error.message };
  }
  const csrf = CSRF_CODES.has((error as FastifyError | undefined)?.code ?? '');
  if (csrf) return { status: 403, code: 'E_CSRF', message: 'This form has expired or did not come from Planwatch, so nothing was changed. Go back, reload the page and try again.' };
  const status = (error as FastifyError | undefined)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, code: (error as FastifyError).code ?? 'E_REQUEST', message: (error as Error).message };
  }
  return { status: 500, code: 'E_INTERNAL', message: 'Something went wrong on our side. The error has been logged; please try again later.' };
}

/** API clients get JSON; everyone else a page. */
export function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

const TITLES: Record<number, string> = {
  400: 'There is a problem with the address',
  403: 'You cannot do this',
  404: 'Page not found',
  409: 'This cannot be done now',
  429: 'Too many attempts',
  500: 'Sorry, there is a problem with the service',
};

export function sendProblem(views: Views, request: FastifyRequest, reply: FastifyReply, problem: HttpProblem): FastifyReply {
  reply.code(problem.status);
  if (wantsJson(request)) return reply.type('application/json; charset=utf-8').send({ error: problem });
  const title = TITLES[problem.status] ?? TITLES[problem.status >= 500 ? 500 : 400]!;
  return reply.type('text/html; charset=utf-8').send(views.render('pages/error.njk', { title, problem }));
}

export function errorHandler(views: Views) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const problem = problemOf(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, message: problem.message }, 'request refused');
    return sendProblem(views, request, reply, problem);
  };
}

export function notFoundHandler(views: Views) {
  return (request: FastifyRequest, reply: FastifyReply): FastifyReply =>
    sendProblem(views, request, reply, { status: 404, code: 'E_NOT_FOUND', message: `There is no page at ${request.url.split('?')[0]}.` });
}
