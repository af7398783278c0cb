/**
 * What every surface asks of the data: organisations, a series, a league table, an
 * organisation's status against its targets. The CLI, the API and the pages share these, so they
 * always agree. Each concern is its own module; this file only gathers them.
 */
export { checkPeriod } from '../dimensions.js';
export { memoise } from './memo.js';
export {
  describeOrg, isCurrent, listOrgs, orgDirectory, orgNames, searchOrgs,
  type DirectoryEntry, type Organisation, type OrgQuery, type Succession,
} from './organisations.js';
export {
  getSeries, getSeriesWithSpc, latestPeriod, periodsOf, pointJson,
  type Companion, type SeriesQuery, type SeriesResult, type SeriesWithSpc, type SpcQuery,
} from './series.js';
export { getLeague, rankOf, type League, type LeagueQuery, type LeagueRow } from './league.js';
export { getStatus, type Status, type StatusLine } from './status.js';
export { applicableTarget, targetFor } from './targets.js';
