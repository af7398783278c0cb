/**
 * The table of figures under each chart, written straight to HTML in nhsuk-frontend's table
 * markup (the classes its `table` macro writes for a caption, a header row and text cells).
 * A chart's table has 36 rows of six cells and an organisation page has a dozen charts or more:
 * through the macro, which evaluates its attribute helpers for every cell, those tables were a
 * third of a page's build time; the markup they produce is the same either way.
 */
export interface FiguresCell {
  text: string;
  format?: 'numeric';
}

export interface FiguresTable {
  caption: string;
  head: readonly FiguresCell[];
  rows: readonly (readonly FiguresCell[])[];
  /** Extra classes on the table element. */
  classes?: string;
}

// What Nunjucks' autoescape replaces, so text reads the same as through a template.
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&"'<>]/g, (character) => ESCAPES[character]!);
}

function cell(element: 'th' | 'td', item: FiguresCell): string {
  const base = element === 'th' ? 'nhsuk-table__header' : 'nhsuk-table__cell';
  const classes = item.format === 'numeric' ? `${base} ${base}--numeric` : base;
  return `<${element} class="${classes}"${element === 'th' ? ' scope="col"' : ''}>${escapeHtml(item.text)}</${element}>`;
}

export function figuresTableHtml(table: FiguresTable): string {
  const parts = [
    `<table class="nhsuk-table${table.classes ? ` ${escapeHtml(table.classes)}` : ''}">`,
    `<caption class="nhsuk-table__caption nhsuk-table__caption--s">${escapeHtml(table.caption)}</caption>`,
    '<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">',
    ...table.head.map((item) => cell('th', item)),
    '</tr></thead><tbody class="nhsuk-table__body">',
  ];
  for (const row of table.rows) parts.push('<tr class="nhsuk-table__row">', ...row.map((item) => cell('td', item)), '</tr>\n');
  parts.push('</tbody></table>');
  return parts.join('');
}
