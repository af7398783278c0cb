import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isPlanwatchError } from '../errors.js';
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

export function problemOf(error: unknown): HttpProblem {
  if (isPlanwatchError(error)) {
    if (error.code === 'E_NOT_FOUND') return { status: 404, code: error.code, message: error.message };
    if (error.code === 'E_USAGE') return { status: 400, code: error.code, message: error.message };
  }
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
  404: 'Page not found',
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
