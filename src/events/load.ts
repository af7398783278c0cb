import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { PlanwatchError } from '../errors.js';
import { MEASURES, findMeasure } from '../measures/index.js';
import { PERIOD_PATTERN } from '../measures/periods.js';

/**
 * Events as data (issue 13): events/*.yaml, one file per kind (industrial action, rule changes,
 * the COVID-19 period), each event with its months and the source it cites. Charts draw them and
 * list them; SPC offers those marked `rebase` as suggested rebase points, never applied unasked.
 * Mergers and successions are not here: ODS publishes them and the store already has them.
 */
export const DEFAULT_EVENTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'events');

const month = z.string().regex(PERIOD_PATTERN, 'must be a month as "YYYY-MM"');

export const eventSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and hyphens'),
  title: z.string().min(1),
  from: month,
  to: month.optional(),
  /** Which charts it belongs on: measures by id, or whole collections; neither = every chart. */
  measures: z.array(z.string()).optional(),
  collections: z.array(z.string()).optional(),
  /** The measure's basis changed here: SPC may start new limits (offered, not applied). */
  rebase: z.boolean().default(false),
  source: z.object({ title: z.string().min(1), url: z.string().url() }),
}).strict().refine((event) => !event.to || event.to >= event.from, { message: '"to" must not be before "from"', path: ['to'] });

export const eventsFileSchema = z.object({
  kind: z.enum(['industrial_action', 'rule_change', 'covid']),
  title: z.string().min(1),
  events: z.array(eventSchema).min(1),
}).strict();

export type EventsFile = z.infer<typeof eventsFileSchema>;
export type ChartEvent = z.infer<typeof eventSchema> & { kind: EventsFile['kind'] };

function eventsError(name: string, line: number | undefined, field: string, problem: string): PlanwatchError {
  return new PlanwatchError('E_EVENTS', `${name}${line ? ` line ${line}` : ''}${field ? `, field "${field}"` : ''}: ${problem}.`, { file: name, ...(line ? { line } : {}), ...(field ? { column: field } : {}) });
}

/** Parses and validates one events file; errors name the file, line and field. */
export function parseEventsFile(name: string, text: string): ChartEvent[] {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    throw eventsError(name, error.linePos?.[0]?.line, '', `not valid YAML (${error.message.split('\n')[0]})`);
  }
  const parsed = eventsFileSchema.safeParse(document.toJS());
  const lineAt = (at: readonly PropertyKey[]) => {
    for (let depth = at.length; depth > 0; depth--) {
      const node = document.getIn(at.slice(0, depth) as (string | number)[], true) as { range?: [number, number] } | undefined;
      if (node?.range) return text.slice(0, node.range[0]).split('\n').length;
    }
    return undefined;
  };
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw eventsError(name, lineAt(issue.path), issue.path.join('.'), issue.message);
  }
  const collections = new Set(MEASURES.map((measure) => measure.collection));
  for (const [index, event] of parsed.data.events.entries()) {
    for (const [i, id] of (event.measures ?? []).entries()) {
      if (!findMeasure(id)) throw eventsError(name, lineAt(['events', index, 'measures', i]), `events.${index}.measures.${i}`, `unknown measure "${id}"`);
    }
    for (const [i, id] of (event.collections ?? []).entries()) {
      if (!collections.has(id)) throw eventsError(name, lineAt(['events', index, 'collections', i]), `events.${index}.collections.${i}`, `unknown collection "${id}"`);
    }
  }
  return parsed.data.events.map((event) => ({ ...event, kind: parsed.data.kind }));
}

let cache: ChartEvent[] | undefined;

/** Every event in the folder, validated; ids unique across files. */
export function loadEvents(dir = DEFAULT_EVENTS_DIR): ChartEvent[] {
  if (dir === DEFAULT_EVENTS_DIR && cache) return cache;
  const events: ChartEvent[] = [];
  const seen = new Map<string, string>();
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.yaml')).sort()) {
    for (const event of parseEventsFile(name, readFileSync(path.join(dir, name), 'utf8'))) {
      const earlier = seen.get(event.id);
      if (earlier) throw new PlanwatchError('E_EVENTS', `${name}: event id "${event.id}" is already used in ${earlier}.`, { file: name });
      seen.set(event.id, name);
      events.push(event);
    }
  }
  if (dir === DEFAULT_EVENTS_DIR) cache = events;
  return events;
}

/** The events that belong on a chart of `metric` between two months. */
export function eventsFor(events: readonly ChartEvent[], metric: string, from: string, to: string): ChartEvent[] {
  const collection = findMeasure(metric)?.collection;
  return events.filter((event) => {
    const applies = (!event.measures && !event.collections) || event.measures?.includes(metric) || (collection !== undefined && event.collections?.includes(collection));
    return applies && event.from <= to && (event.to ?? event.from) >= from;
  });
}
