import { readdirSync } from 'node:fs';
import path from 'node:path';
import { VIEWS_DIR, type Views } from '../../src/server/views.js';

/**
 * Every component folder under src/server/views/components with its named fixtures, so the
 * render tests and the browser's axe test cover each example (STYLE.md §1 and §4).
 */
export interface ComponentFixtures {
  name: string;
  macro: string;
  fixtures: Record<string, object>;
}

const macroName = (name: string) => `pw${name.split('-').map((part) => part[0]!.toUpperCase() + part.slice(1)).join('')}`;

export async function loadComponents(): Promise<ComponentFixtures[]> {
  const folder = path.join(VIEWS_DIR, 'components');
  const names = readdirSync(folder).sort();
  return Promise.all(names.map(async (name) => {
    const module = (await import(path.join(folder, name, 'fixtures.ts'))) as { fixtures: Record<string, object> };
    return { name, macro: macroName(name), fixtures: module.fixtures };
  }));
}

export function renderComponent(views: Views, component: ComponentFixtures, params: object): string {
  return views.renderString(`{% from "components/${component.name}/macro.njk" import ${component.macro} %}{{ ${component.macro}(params) }}`, { params });
}

/** A whole page around one example: the layout, one h1, the component. */
export function renderFixturePage(views: Views, component: ComponentFixtures, example: string): string {
  const params = component.fixtures[example]!;
  return views.renderString(
    `{% extends "layout.njk" %}{% from "components/${component.name}/macro.njk" import ${component.macro} %}{% block content %}<h1>${component.name}: ${example}</h1>{{ ${component.macro}(params) }}{% endblock %}`,
    { params, title: `${component.name}: ${example}`, site: { dataDate: '2025-03' }, assetPath: '/nhsuk/assets' },
  );
}
