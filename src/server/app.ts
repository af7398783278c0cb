import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import path from 'node:path';
import { guidanceYearOfDay } from '../assessment/guidance-years.js';
import { periodsOf } from '../assessment/index.js';
import { ENGLAND, REGION_CODES } from '../dimensions.js';
import { loadEvents } from '../events/load.js';
import { MEASURES } from '../measures/index.js';
import { pluginById } from '../sources/registry.js';
import { pendingMarks } from '../store/measure-table.js';
import type { Store } from '../store/store.js';
import { ResponseCache, cacheKey, type CachedResponse, type StoredResponse } from './cache.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { ROUTES } from './routes/index.js';
import { interfaceRoutes, type InterfaceOptions } from './routes/interface/index.js';
import { createViews, NHSUK_DIST, precompileViews, PUBLIC_DIR, templateScriptHashes, type Views } from './views.js';

/**
 * The Planwatch web app as one Fastify plugin (STYLE.md §1, after fastify/demo): security
 * headers, nhsuk-frontend's assets, the views, error pages and every route plugin listed in
 * routes/index.ts. server.ts only listens; tests and the bench register this plugin and inject.
 */
export interface AppOptions {
  store: Store;
  /** Defaults to our views plus nhsuk-frontend's macros. */
  views?: Views;
  /** The interface log (issue 7): its store and sign-in settings. Without it, its pages are not served. */
  interface?: InterfaceOptions;
  /** How often the server checks the publication pages (ms), or null when it does not; shown on /status. */
  refreshMs?: number | null;
  /**
   * Compile the templates, read the chart events and build England's pages (PREBUILT) before the
   * first request (a server does: its first visitor should not pay for them); tests and the
   * export leave it to the first page.
   */
  warm?: boolean;
}

/** What every page's layout shows: each collection's latest month, and the latest of all. */
export interface SiteContext {
  dataDate: string | null;
  sources: { title: string; latest: string }[];
}

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
    views: Views;
    /** Renders a page template with the site context (data date) every layout needs. */
    renderPage(template: string, context: Record<string, unknown>): Promise<string>;
    /**
     * Serves a finished response from the per-store-version cache, building it once. The key is
     * the route, its path parameters and `query`: the query parameters the route declares, after
     * validation. Anything else in the query string is not part of the key, so `?x=1` cannot make
     * a new entry. Only for answers that depend on these and the store alone: never per-user pages.
     */
    sendCached(request: FastifyRequest, reply: FastifyReply, build: () => Promise<CachedResponse>, query: Record<string, unknown>): Promise<FastifyReply>;
    /** The response cache, for tests and the bench. */
    responseCache: ResponseCache;
    /** How often this server checks the publication pages (ms); null when it does not. */
    refreshMs: number | null;
  }
}

export async function siteContext(store: Store): Promise<SiteContext> {
  const collections = [...new Set(MEASURES.map((measure) => measure.collection))];
  const sources = [];
  for (const collection of collections) {
    const latest = (await periodsOf(store, collection)).at(-1);
    if (latest) sources.push({ title: pluginById(collection)?.title ?? collection, latest });
  }
  return { dataDate: sources.map((source) => source.latest).sort().at(-1) ?? null, sources };
}

/**
 * nhsuk-frontend's macros indent their output for people reading the source; on an org page with
 * eight tables that indentation is a fifth of the bytes. HTML collapses it anyway (our pages have
 * no <pre> or <textarea>), so line-leading whitespace goes.
 */
export function withoutIndentation(html: string): string {
  return html.replace(/\n[ \t]+/g, '\n');
}

const ASSET_FILES = /\.(css|js|map|svg|png|ico|json|woff2?)$/;

const planwatchApp: FastifyPluginAsync<AppOptions> = async (fastify, options) => {
  const views = options.views ?? createViews();
  if (options.warm) {
    precompileViews(views);
    loadEvents();
  }
  const cache = new ResponseCache(options.store);
  fastify.decorate('store', options.store);
  fastify.decorate('views', views);
  fastify.decorate('renderPage', async (template: string, context: Record<string, unknown>) =>
    withoutIndentation(views.render(template, { site: await siteContext(options.store), assetPath: '/nhsuk/assets', ...context })));
  fastify.decorate('responseCache', cache);
  fastify.decorate('refreshMs', options.refreshMs ?? null);
  // The cache key each URL was last answered under: lets a request the cache can answer skip the
  // read snapshot altogether. Bounded, so made-up query strings only push out the oldest URLs.
  // Both are kept per guidance year: the pages lead with the year of the day they are built
  // (assessment/guidance-years.ts), so on 1 April each is built again.
  const keysByUrl = new LRUCache<string, string>({ max: 20_000 });
  const urlKey = (request: FastifyRequest) => `${guidanceYearOfDay(new Date())} ${request.url}`;
  const send = (request: FastifyRequest, reply: FastifyReply, response: StoredResponse): FastifyReply => {
    for (const [name, value] of Object.entries(response.headers ?? {})) reply.header(name, value);
    reply.type(response.type).header('vary', 'accept-encoding');
    if (response.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      return reply.header('content-encoding', 'gzip').send(response.gzip);
    }
    return reply.send(response.body);
  };
  fastify.decorate('sendCached', async (request: FastifyRequest, reply: FastifyReply, build: () => Promise<CachedResponse>, query: Record<string, unknown>) => {
    const guidanceYear = guidanceYearOfDay(new Date());
    const key = cacheKey(request.routeOptions.url ?? request.url.split('?')[0]!, { ...(request.params as Record<string, unknown>), ...query, guidanceYear });
    const response = await cache.get(key, build);
    keysByUrl.set(urlKey(request), key);
    return send(request, reply, response);
  });

  await fastify.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...templateScriptHashes()],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  // nhsuk-frontend's compiled CSS, JS and images, straight from the installed package; only asset
  // files, not its templates or sources.
  await fastify.register(fastifyStatic, {
    root: path.join(NHSUK_DIST, 'nhsuk'),
    prefix: '/nhsuk/',
    allowedPath: (pathName: string) => ASSET_FILES.test(pathName),
    maxAge: '1d',
  });
  // Its CSS asks for icons (the sortable table's arrows, the close cross) at /assets/images/,
  // the path NHS.UK sites serve them from, not beside the stylesheet.
  await fastify.register(fastifyStatic, {
    root: path.join(NHSUK_DIST, 'nhsuk', 'assets', 'images'),
    prefix: '/assets/images/',
    allowedPath: (pathName: string) => ASSET_FILES.test(pathName),
    decorateReply: false,
    maxAge: '1d',
  });
  await fastify.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/static/', decorateReply: false, maxAge: '1h' });

  fastify.setErrorHandler(errorHandler(views));
  fastify.setNotFoundHandler(notFoundHandler(views));
  // One request, one version of the store: each page and API handler runs in a read snapshot
  // (Store.snapshot), so a page never mixes figures from before and after an ingest, and an
  // ingest commits without waiting for pages (src/store/README.md, "One writer"). Caches are
  // keyed by the version the snapshot sees. Registered here so that it wraps ROUTES only: the
  // assets above and the interface log below do not read the store.
  fastify.addHook('onRoute', (route) => {
    if (route.url.startsWith('/interface')) return;
    const handler = route.handler as (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => unknown;
    route.handler = function inSnapshot(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      // A finished response of the latest version needs no snapshot: it is one version already.
      const key = keysByUrl.get(urlKey(request));
      const ready = key === undefined ? undefined : cache.latest(key);
      if (ready) return send(request, reply, ready);
      return options.store.snapshot(async () => handler.call(this, request, reply));
    };
  });
  for (const route of ROUTES) await fastify.register(route.plugin, route.prefix ? { prefix: route.prefix } : {});
  // Registered apart from ROUTES because it takes options of its own: its database and sign-in.
  if (options.interface) await fastify.register(interfaceRoutes, options.interface);
};

export const app = fp(planwatchApp, { name: 'planwatch-app', fastify: '5.x' });

/**
 * The pages a warmed app builds before it listens: the home page, England's and the seven
 * regions', the top of every visit, kept in the response cache for the store version. Building
 * them also runs the code every organisation page runs (V8 compiles a function when it is first
 * called and optimises it once it is hot; each template's macros likewise): a trust's first page
 * after a start then took 80 ms of CPU instead of 180 with England's alone, and 450 with none.
 */
export const PREBUILT: readonly string[] = ['/', `/org/${ENGLAND}`, ...REGION_CODES.map((code) => `/org/${code}`)];

/** A Fastify instance with the app registered: for server.ts, tests and the bench. */
export async function buildApp(options: AppOptions & Pick<FastifyServerOptions, 'logger' | 'trustProxy'>): Promise<FastifyInstance> {
  const fastify = Fastify({ logger: options.logger ?? false, trustProxy: options.trustProxy ?? false });
  await fastify.register(app, options);
  if (!options.warm) {
    await fastify.ready();
    return fastify;
  }
  // After an ingest while serving (the refresher's, or one a CLI command forwards), the pages
  // are built again in the background, not by the first visitor of each (issue 10's notes).
  const rebuild = new Rebuilder(fastify, options.store);
  let stop: (() => void) | undefined;
  fastify.addHook('onClose', async () => {
    stop?.();
    await rebuild.idle();
  });
  await fastify.ready();
  await prebuild(fastify);
  stop = options.store.onCommit(() => rebuild.schedule());
  return fastify;
}

// An answer other than 200 (an empty store has no England page) is left for its first visitor.
async function prebuild(fastify: FastifyInstance): Promise<void> {
  for (const url of PREBUILT) await fastify.inject({ url, headers: { 'accept-encoding': 'gzip' } });
}

/**
 * Builds PREBUILT again once the store's latest commit leaves no measure values to compute: an
 * ingest commits its files with their months marked, then their measure values, and pages built
 * between the two would be computed live and thrown away. One build at a time; commits during a
 * build ask for one more after it.
 */
class Rebuilder {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly fastify: FastifyInstance, private readonly store: Store) {}

  schedule(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = undefined;
    });
  }

  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      try {
        if ((await pendingMarks(this.store)).length === 0) await prebuild(this.fastify);
      } catch (error) {
        // A page that cannot be built now is built by its first visitor, who then sees the error.
        this.fastify.log.warn({ err: error }, 'rebuilding the pages after a commit failed');
      }
    } while (this.again);
  }
}
