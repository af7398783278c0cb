import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { setPassword } from '../../src/interface/accounts.js';
import { buildApp } from '../../src/server/app.js';
import type { InterfaceOptions } from '../../src/server/routes/interface/index.js';
import { Store } from '../../src/store/store.js';
import type { Backend, TestStore } from '../interface/helpers/stores.js';
import { openSeeded, type World } from '../interface/helpers/world.js';

/**
 * The interface log's pages over a seeded world (test/interface/helpers/world.ts) on one backend,
 * with every account given the same made-up password, and visitors that keep cookies and the
 * page's CSRF token the way a browser does.
 */
export const PASSWORD = 'synthetic password for every account';

export interface WebWorld {
  app: FastifyInstance;
  test: TestStore;
  world: World;
  visitor(address?: string): Visitor;
  close(): Promise<void>;
}

export async function openWebWorld(backend: Backend, options: Partial<InterfaceOptions> = {}): Promise<WebWorld> {
  const { test, world } = await openSeeded(backend);
  for (const caller of Object.values(world)) await setPassword(test.ctx, world.admin, caller.accountId, PASSWORD);
  const duck = await Store.open(':memory:');
  const app = await buildApp({ store: duck, interface: { store: test.store, clock: test.clock, passwordCost: test.ctx.passwordCost, ...options } });
  return {
    app,
    test,
    world,
    visitor: (address = '127.0.0.1') => new Visitor(app, address),
    close: async () => {
      await app.close();
      duck.close();
      await test.close();
    },
  };
}

/** One person's browser: cookies, the last CSRF token a page gave, their network address. */
export class Visitor {
  readonly cookies = new Map<string, string>();
  csrf: string | undefined;

  constructor(
    readonly app: FastifyInstance,
    readonly address = '127.0.0.1',
    readonly headers: Record<string, string> = {},
  ) {}

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, cookies: Object.fromEntries(this.cookies), headers: this.headers, remoteAddress: this.address }));
  }

  /** Posts a form as a browser would, with the page's CSRF token unless told not to. */
  async post(url: string, form: Record<string, string>, { token = this.csrf }: { token?: string | undefined } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams({ ...form, ...(token ? { _csrf: token } : {}) }).toString();
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        payload: body,
        cookies: Object.fromEntries(this.cookies),
        headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
        remoteAddress: this.address,
      }),
    );
  }

  /**
   * Takes a CSRF token from a page every signed-in person has (the sign-out page's form), as a
   * browser has one from whatever page it is on; tests that a refusal is about the role, not the
   * token, post with this.
   */
  async refreshToken(): Promise<string> {
    const response = await this.get('/interface/sign-out');
    if (response.statusCode !== 200 || !this.csrf) throw new Error(`no CSRF token: the sign-out page answered ${response.statusCode}`);
    return this.csrf;
  }

  /** Signs in with a local account; throws unless the server signed them in. */
  async signIn(email: string, password = PASSWORD): Promise<this> {
    await this.get('/interface/sign-in');
    const response = await this.post('/interface/sign-in', { email, password });
    if (response.statusCode !== 303) throw new Error(`sign-in as ${email} answered ${response.statusCode}`);
    await this.refreshToken();
    return this;
  }

  private keep(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const isCleared = cookie.value === '' || cookie.maxAge === 0 || (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now());
      if (isCleared) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (token) this.csrf = token[1];
    return response;
  }
}

/** Text a person reads: tags dropped, entities decoded, whitespace collapsed. */
export function pageText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** A report as the practice's form sends it; override any field. */
export function reportForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    trustCode: 'RA1',
    area: 'discharge_letter',
    specialty: 'Cardiology',
    'occurredOn[day]': '3',
    'occurredOn[month]': '1',
    'occurredOn[year]': '2025',
    whatHappened: 'Synthetic: discharge letter arrived without the medication changes.',
    workload: 'Synthetic: two calls to the ward and a GP appointment to reconcile medicines.',
    ...overrides,
  };
}

/** The id in the Location of the redirect after a report is sent. */
export function reportIdOf(response: LightMyRequestResponse): number {
  const match = /^\/interface\/reports\/(\d+)\?done=reported$/.exec(String(response.headers.location));
  if (!match) throw new Error(`expected a redirect to the new report, got ${response.statusCode} ${response.headers.location ?? ''}`);
  return Number(match[1]);
}
