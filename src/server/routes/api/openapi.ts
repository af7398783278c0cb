import { z } from 'zod';
import type { ApiRoute } from './index.js';
import { PARQUET_TYPE } from '../../../store/parquet.js';
import { errorResponse } from './schemas.js';

/**
 * OpenAPI 3.1 for the API, generated from the route table and its zod schemas with zod 4's
 * JSON Schema output (draft 2020-12, which OpenAPI 3.1 uses as is).
 */
export function openApiDocument(routes: readonly ApiRoute[], prefix: string) {
  const paths: Record<string, unknown> = {};
  for (const route of routes) {
    const path = `${prefix}${route.path.replace(/:(\w+)/g, '{$1}')}`;
    const parameters = [
      ...parametersOf(route.params, 'path'),
      ...parametersOf(route.query, 'query'),
    ];
    const content: Record<string, unknown> = { 'application/json': { schema: jsonSchema(route.response, 'output') } };
    if (route.csv) {
      content['text/csv'] = { schema: { type: 'string' } };
      content[PARQUET_TYPE] = { schema: { type: 'string', contentMediaType: PARQUET_TYPE } };
    }
    paths[path] = {
      get: {
        summary: route.summary,
        operationId: operationId(route.path),
        parameters,
        responses: {
          200: { description: 'OK', content },
          400: { description: 'A parameter is not valid', content: { 'application/json': { schema: jsonSchema(errorResponse, 'output') } } },
          404: { description: 'Unknown organisation or measure, or no figures for the month', content: { 'application/json': { schema: jsonSchema(errorResponse, 'output') } } },
        },
      },
    };
  }
  paths[`${prefix}/openapi.json`] = {
    get: { summary: 'This document', operationId: 'openapi', responses: { 200: { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } } },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Planwatch API',
      version: '1',
      description: "NHS England organisations against the operational planning guidance targets, from NHS England's own statistics. Contains public sector information licensed under the Open Government Licence v3.0.",
      license: { name: 'MIT (code); data: Open Government Licence v3.0', identifier: 'MIT' },
    },
    paths,
  };
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parametersOf(schema: z.ZodObject | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => {
    const json = jsonSchema(field as z.ZodType, 'input');
    const optional = (field as z.ZodType).safeParse(undefined).success;
    return {
      name,
      in: where,
      required: where === 'path' || !optional,
      ...(typeof json.description === 'string' ? { description: json.description } : {}),
      schema: json,
    };
  });
}

function operationId(path: string): string {
  return path.split('/').filter((part) => part && !part.startsWith(':')).join('_');
}
