import { isCurrent, type DirectoryEntry, type StatusLine } from '../../../assessment/index.js';
import { assuranceIconWithLabel, variationIconWithLabel } from '../../../analysis/spc/icon-svg.js';
import type { SpcResult } from '../../../analysis/spc/index.js';
import type { Level } from '../../../dimensions.js';
import { regionName } from '../../../dimensions.js';
import type { Unit } from '../../../measures/index.js';
import { periodLabel } from '../../../dimensions.js';
import { valueText } from '../../format.js';

/**
 * How many months the charts and their SPC cover: three years, enough points for stable limits,
 * recent enough that the limits describe the service as it runs now. The home page's icons use
 * the same span, so they agree with the charts.
 */
export const CHART_MONTHS = 36;

/** Words the pages use for assessments: each verdict is a word and a tag colour, never colour alone. */
export function verdictOf(line: Pick<StatusLine, 'met' | 'final'>): { text: string; colour: string } {
  if (line.met === null) return { text: 'Unknown', colour: 'grey' };
  if (line.met) return line.final ? { text: 'Met', colour: 'green' } : { text: 'Meeting it now', colour: 'green' };
  return line.final ? { text: 'Not met', colour: 'red' } : { text: 'Not met yet', colour: 'orange' };
}

export function gapText(gap: number | null, unit: Unit): string {
  if (gap === null) return '';
  if (gap === 0) return 'exactly on the target';
  const magnitude = Math.abs(gap);
  const amount = unit === 'percent' ? `${magnitude.toFixed(1)} percentage points` : valueText(magnitude, unit);
  return `${amount} ${gap > 0 ? 'above' : 'below'} the target`;
}

/** "in March 2025", "in 2024/25 (year to date)", for an assessed month or financial year. */
export function assessedText(line: Pick<StatusLine, 'assessedPeriod' | 'final'>): string {
  if (/^\d{4}\/\d{2}$/.test(line.assessedPeriod)) return `in ${line.assessedPeriod}${line.final ? '' : ' (year to date)'}`;
  return `in ${periodLabel(line.assessedPeriod)}`;
}

const LEVELS: Record<Level, { one: string; many: string }> = {
  england: { one: 'Country', many: 'countries' },
  region: { one: 'NHS England region', many: 'regions' },
  icb: { one: 'Integrated care board', many: 'integrated care boards' },
  trust: { one: 'NHS trust', many: 'trusts' },
  provider: { one: 'Provider', many: 'providers' },
  ambulance_trust: { one: 'Ambulance trust', many: 'ambulance trusts' },
};

export function levelText(level: Level): string {
  return LEVELS[level].one;
}

export function levelPlural(level: Level): string {
  return LEVELS[level].many;
}

export function regionText(code: string | undefined): string | undefined {
  return code ? regionName(code) : undefined;
}

export function slug(id: string): string {
  return id.replace(/_/g, '-');
}

/** The MDC variation icon, and the assurance icon when there is one, each with its words. */
export function spcIcons(spc: Pick<SpcResult, 'variation' | 'assurance'>): string {
  return [variationIconWithLabel(spc.variation), ...(spc.assurance ? [assuranceIconWithLabel(spc.assurance)] : [])].join('');
}

/** Why an organisation may have no recent figures: closed (ODS), not in recent publications, or never in one. */
export function statusText(org: DirectoryEntry, latest: string | null): string | undefined {
  if (org.closed) return `closed ${new Date(`${org.closed}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })}`;
  if (org.lastPeriod === null) return org.level === 'england' ? undefined : 'no figures published';
  return isCurrent(org, latest) ? undefined : `last published ${periodLabel(org.lastPeriod)}`;
}
