import type { FastifyPluginAsync } from 'fastify';
import { api } from './api/index.js';
import { pages } from './pages/index.js';
import { signalRoutes } from './pages/signals.js';
import { statusRoutes } from './pages/status.js';

/**
 * Every route plugin the app registers, in one list. A new surface (the interface log) adds one
 * line here: `{ plugin: interfaceRoutes, prefix: '/interface' }`. Route plugins use the app's
 * decorations: `fastify.store`, `fastify.views`, `fastify.renderPage` (layout with the data date)
 * and `fastify.sendCached`; errors they throw become 400/404/500 pages or JSON (../errors.ts).
 */
export interface RouteModule {
  plugin: FastifyPluginAsync;
  prefix?: string;
}

export const ROUTES: RouteModule[] = [
  { plugin: pages },
  { plugin: signalRoutes },
  { plugin: statusRoutes },
  { plugin: api, prefix: '/api/v1' },
];
