import { describe, expect, it } from 'vitest';
import { PlanwatchError } from '../../src/errors.js';
import { eventsFor, loadEvents, parseEventsFile } from '../../src/events/load.js';

const good = `kind: rule_change
title: Rule changes
events:
  - id: synthetic-change
    title: A made-up change
    from: "2021-04"
    measures: [ae_4hr]
    rebase: true
    source:
      title: A source
      url: https://example.org/source
`;

function refusal(text: string): PlanwatchError {
  try {
    parseEventsFile('synthetic-events.yaml', text);
  } catch (error) {
    if (error instanceof PlanwatchError) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('parseEventsFile(name, text)', () => {
  it('reads each event with its kind, months and cited source', () => {
    expect(parseEventsFile('synthetic-events.yaml', good)).toEqual([
      { id: 'synthetic-change', title: 'A made-up change', from: '2021-04', measures: ['ae_4hr'], rebase: true, source: { title: 'A source', url: 'https://example.org/source' }, kind: 'rule_change' },
    ]);
  });

  it('refuses a month that is not YYYY-MM, naming the file, line and field', () => {
    const error = refusal(good.replace('"2021-04"', '"April 2021"'));
    expect(error.code).toBe('E_EVENTS');
    expect(error.exitCode).toBe(2);
    expect(error.at).toEqual({ file: 'synthetic-events.yaml', line: 6, column: 'events.0.from' });
    expect(error.message).toBe('synthetic-events.yaml line 6, field "events.0.from": must be a month as "YYYY-MM".');
  });

  it('refuses an event without a cited source, an unknown measure, and bad YAML', () => {
    expect(refusal(good.replace(/    source:\n.*\n.*\n/, '')).at?.column).toBe('events.0.source');
    expect(refusal(good.replace('[ae_4hr]', '[no_such_measure]')).message).toContain('unknown measure "no_such_measure"');
    expect(refusal('kind: [').message).toMatch(/^synthetic-events.yaml line \d+: not valid YAML/);
  });

  it('refuses an end before the start', () => {
    expect(refusal(good.replace('    rebase: true', '    to: "2020-01"\n    rebase: true')).at?.column).toBe('events.0.to');
  });
});

describe('loadEvents() and eventsFor(events, metric, from, to)', () => {
  it('loads the events folder, every event citing a source', () => {
    const events = loadEvents();
    expect(events.length).toBeGreaterThan(10);
    for (const event of events) expect(event.source.url).toMatch(/^https:\/\//);
    expect(new Set(events.map((event) => event.kind))).toEqual(new Set(['industrial_action', 'rule_change', 'covid']));
  });

  it("keeps an event to its measures' charts and to the months shown", () => {
    const events = parseEventsFile('synthetic-events.yaml', good);
    expect(eventsFor(events, 'ae_4hr', '2020-01', '2022-12')).toHaveLength(1);
    expect(eventsFor(events, 'cwt_fds', '2020-01', '2022-12')).toHaveLength(0);
    expect(eventsFor(events, 'ae_4hr', '2022-01', '2022-12')).toHaveLength(0);
  });
});
