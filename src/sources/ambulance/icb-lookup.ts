import type { OrgFact, OrgLink } from '../contract.js';
import type { Sheet } from '../workbook.js';
import { ICB_LOOKUP } from './layouts.js';
import { cellText } from './values.js';

export interface IcbShares {
  icb: string;
  name: string;
  /** Share of the ICB's Category 2 incidents each ambulance service responded to (0–1). */
  shares: Map<string, number>;
}

/**
 * Reads the `ICB lookup` sheet: ICB NHS code, name and each service's share. The sheet is laid
 * out for people (title, a row of service codes, a header row, then one row per ICB and notes),
 * so rows are found by their labels, not by position. Returns [] when the labels are absent.
 */
export function readIcbLookup(sheet: Sheet): IcbShares[] {
  const serviceRow = sheet.rows.findIndex((row) => row.some((cell) => cellText(cell) === ICB_LOOKUP.serviceRowLabel));
  const headerRow = sheet.rows.findIndex((row) => row.some((cell) => cellText(cell) === ICB_LOOKUP.nhsCodeHeader));
  if (serviceRow < 0 || headerRow < 0) return [];
  const header = sheet.rows[headerRow]!.map(cellText);
  const codeAt = header.indexOf(ICB_LOOKUP.nhsCodeHeader);
  const nameAt = header.indexOf(ICB_LOOKUP.nameHeader);
  const services = sheet.rows[serviceRow]!.map(cellText).map((code, column) => ({ code, column })).filter(({ code }) => /^R[A-Z0-9]{2}$/.test(code));
  const icbs: IcbShares[] = [];
  for (const row of sheet.rows.slice(headerRow + 1)) {
    const icb = cellText(row[codeAt]).toUpperCase();
    if (!/^Q[A-Z0-9]{2}$/.test(icb)) break;
    const shares = new Map<string, number>();
    for (const { code, column } of services) {
      const share = row[column];
      if (typeof share === 'number' && share > 0) shares.set(code, share);
    }
    icbs.push({ icb, name: cellText(row[nameAt]), shares });
  }
  return icbs;
}

/**
 * ICB names as org facts, and links from each ambulance service to the ICBs it serves, weighted
 * so that an ICB's response-time mean is its services' times mixed in the lookup's proportions:
 * weight = share ÷ the service's C2 incidents in the reference months. Σ weight × total seconds ÷
 * Σ weight × incidents then equals Σ share × service mean in the reference months, and in other
 * months assumes each ICB keeps the same part of each service's incidents. Counts cannot be
 * apportioned this way (the weights give proportions, not incidents), so only means use them.
 */
export function icbItems(lookup: readonly IcbShares[], referenceIncidents: ReadonlyMap<string, number>, period: string): { facts: OrgFact[]; links: OrgLink[] } {
  const facts: OrgFact[] = lookup.map(({ icb, name }) => ({ org: icb, period, name, level: 'icb' }));
  const links: OrgLink[] = [];
  for (const { icb, shares } of lookup) {
    // A service with no incidents in the reference months cannot be weighted; leaving it out would
    // silently misstate the ICB, so the ICB gets no estimate at all.
    if ([...shares.keys()].some((service) => !referenceIncidents.get(service))) continue;
    for (const [service, share] of shares) {
      links.push({ org: service, relation: 'parent', level: 'icb', target: icb, validFrom: ICB_LOOKUP.validFrom, weight: share / referenceIncidents.get(service)! });
    }
  }
  return { facts, links };
}
