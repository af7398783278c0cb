/**
 * The store's tables. Observations are long (one row per published figure) so every
 * collection shares them; provenance is the file row plus the line and column header.
 * A publication covers one or more periods; the latest publication for a (collection, period)
 * is current (currency.ts) and the others stay queryable through `file_periods.superseded_by`.
 */
export const SCHEMA_VERSION = 1;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

CREATE SEQUENCE IF NOT EXISTS file_ids START 1;

CREATE TABLE IF NOT EXISTS files (
  file_id      INTEGER PRIMARY KEY,
  collection   VARCHAR NOT NULL,
  name         VARCHAR NOT NULL,
  sha256       VARCHAR NOT NULL UNIQUE,
  url          VARCHAR,
  layout       VARCHAR NOT NULL,
  ingested_at  TIMESTAMP NOT NULL,
  observations INTEGER NOT NULL,
  orgs         INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS file_periods (
  file_id       INTEGER NOT NULL,
  collection    VARCHAR NOT NULL,
  period        VARCHAR NOT NULL,
  superseded_by INTEGER,
  PRIMARY KEY (file_id, period)
);

CREATE TABLE IF NOT EXISTS file_columns (
  file_id     INTEGER NOT NULL,
  metric      VARCHAR NOT NULL,
  column_name VARCHAR NOT NULL,
  sheet       VARCHAR
);

CREATE TABLE IF NOT EXISTS observations (
  file_id    INTEGER NOT NULL,
  metric     VARCHAR NOT NULL,
  org        VARCHAR NOT NULL,
  period     VARCHAR NOT NULL,
  value      DOUBLE,
  row_number INTEGER NOT NULL
);

-- Why a value is null where the file shows something else (e.g. field-testing trusts). Kept apart
-- from observations because almost every figure has none, and appending a column of nulls
-- cost a third of ingest time.
CREATE TABLE IF NOT EXISTS observation_notes (
  file_id    INTEGER NOT NULL,
  metric     VARCHAR NOT NULL,
  org        VARCHAR NOT NULL,
  period     VARCHAR NOT NULL,
  note       VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS org_facts (
  file_id      INTEGER NOT NULL,
  org          VARCHAR NOT NULL,
  period       VARCHAR NOT NULL,
  name         VARCHAR NOT NULL,
  level        VARCHAR,
  parent_level VARCHAR,
  parent       VARCHAR
);

-- Organisation hierarchy with validity dates (trust → ICB → region), filled by the ODS source.
CREATE TABLE IF NOT EXISTS org_links (
  file_id      INTEGER NOT NULL,
  org          VARCHAR NOT NULL,
  relation     VARCHAR NOT NULL,   -- 'parent' or 'successor'
  level        VARCHAR NOT NULL,   -- level of the linked organisation: 'icb', 'region', 'trust'
  target       VARCHAR NOT NULL,
  valid_from   VARCHAR,            -- 'YYYY-MM', inclusive
  valid_to     VARCHAR             -- 'YYYY-MM', inclusive
);

-- Added with the ODS and ambulance sources (issue 5); ADD COLUMN keeps stores made before them.
ALTER TABLE org_facts ADD COLUMN IF NOT EXISTS opened VARCHAR;
ALTER TABLE org_facts ADD COLUMN IF NOT EXISTS closed VARCHAR;
-- Share of a member apportioned to the parent (ambulance services between ICBs); NULL = all of it.
ALTER TABLE org_links ADD COLUMN IF NOT EXISTS weight DOUBLE;
-- Why a file is only part of its publication (ParseSummary.partial); NULL = the whole of it.
ALTER TABLE files ADD COLUMN IF NOT EXISTS partial VARCHAR;
-- When and as what the file was published (issue 11): 'YYYY-MM-DD' or 'YYYY-MM'; 'first',
-- 'revised', 'provisional' or 'final'; and where the date was read ('file', 'name', 'page').
-- NULL = not stated. The current file of a month is chosen from these (README.md).
ALTER TABLE files ADD COLUMN IF NOT EXISTS published VARCHAR;
ALTER TABLE files ADD COLUMN IF NOT EXISTS edition VARCHAR;
ALTER TABLE files ADD COLUMN IF NOT EXISTS published_from VARCHAR;

-- The server's refresher (issue 11, refresh-state.ts): per collection, when its publication pages
-- were last read and how that went. Times are ISO 8601 text. A run with started_at after
-- finished_at was interrupted (the process was killed) and is run again at the next start.
CREATE TABLE IF NOT EXISTS refresh_state (
  collection  VARCHAR PRIMARY KEY,
  started_at  VARCHAR,
  finished_at VARCHAR,
  checked_at  VARCHAR,
  last_error  VARCHAR,
  error_at    VARCHAR,
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_due    VARCHAR,
  waiting     INTEGER NOT NULL DEFAULT 0
);

-- Every file address the refresher has dealt with: 'stored' (in the store, whatever its address
-- there) or 'refused' (ingest turned it away: not tried again until the bytes at the address change).
CREATE TABLE IF NOT EXISTS refresh_files (
  url        VARCHAR PRIMARY KEY,
  collection VARCHAR NOT NULL,
  sha256     VARCHAR NOT NULL,
  outcome    VARCHAR NOT NULL,
  message    VARCHAR,
  noted_at   VARCHAR NOT NULL
);

-- Organisation links come from snapshot files (an ODS extract lists every trust with its dated
-- parents). Within each collection and layout (the ODS trust list and the ODS successor file are
-- different snapshots and must not hide each other), vintages are ranked by the newest month the
-- file covers, then, for two extracts of the same month, the one the currency rule made current
-- (the later publication: currency.ts), then by name and checksum; never by ingest order, so an
-- older extract ingested after a newer one does not win. The newest vintage's links hold wherever they reach; an older vintage's link for
-- the same organisation, relation and level only fills the months before the newest vintage's
-- earliest link starts. So a January 2026 extract (QMJ since July 2022) and a mid-2026 one
-- (Z9B2Z from April 2026) give QMJ to March 2026 and Z9B2Z after.
CREATE OR REPLACE VIEW current_org_links AS
  WITH vintages AS (
    SELECT f.file_id, f.collection, f.layout,
      row_number() OVER (PARTITION BY f.collection, f.layout
        ORDER BY coalesce((SELECT max(p.period) FROM file_periods p WHERE p.file_id = f.file_id), '') DESC,
          EXISTS (SELECT 1 FROM file_periods p WHERE p.file_id = f.file_id AND p.superseded_by IS NULL) DESC,
          f.name DESC, f.sha256 DESC) AS vintage
    FROM files f WHERE f.file_id IN (SELECT DISTINCT file_id FROM org_links)),
  ranked AS (
    SELECT v.collection, v.layout, v.vintage, l.* FROM org_links l JOIN vintages v USING (file_id)),
  clipped AS (
    SELECT r.*, (SELECT min(coalesce(n.valid_from, '0000-00')) FROM ranked n
        WHERE n.collection = r.collection AND n.layout = r.layout AND n.vintage < r.vintage
          AND n.org = r.org AND n.relation = r.relation AND n.level = r.level) AS newer_from
    FROM ranked r)
  SELECT collection, file_id, org, relation, level, target, valid_from,
    CASE WHEN newer_from IS NULL OR newer_from = '0000-00' THEN valid_to
      ELSE least(coalesce(valid_to, '9999-12'), strftime(strptime(newer_from || '-01', '%Y-%m-%d') - INTERVAL 1 MONTH, '%Y-%m')) END AS valid_to,
    weight
  FROM clipped
  WHERE vintage = 1 OR newer_from IS NULL
    OR (newer_from > '0000-00' AND coalesce(valid_from, '0000-00') < newer_from);

-- Every measure's figures, computed once after ingest from current figures (measure-table.ts,
-- README.md "Measure values"). Keyed by (measure, level, org, period); pages, the API and the CLI
-- read slices of it. Rows of a collection marked in measure_pending are stale and not read.
CREATE TABLE IF NOT EXISTS measure_values (
  measure        VARCHAR NOT NULL,
  level          VARCHAR NOT NULL,
  org            VARCHAR NOT NULL,
  period         VARCHAR NOT NULL,
  numerator      DOUBLE,
  denominator    DOUBLE,
  value          DOUBLE,
  note           VARCHAR,
  members        VARCHAR[],
  excluded       VARCHAR[],
  apportioned    BOOLEAN,
  rolled_up      BOOLEAN NOT NULL,
  rank           INTEGER,
  ranked         INTEGER,
  target_id      VARCHAR,
  threshold      DOUBLE,
  target_met     BOOLEAN,
  basis          VARCHAR,
  includes_estimates BOOLEAN
);
ALTER TABLE measure_values ADD COLUMN IF NOT EXISTS basis VARCHAR;
ALTER TABLE measure_values ADD COLUMN IF NOT EXISTS includes_estimates BOOLEAN;

-- Each organisation's SPC as its page charts it: the months of its last 36 to its latest figure
-- (missing months included, as null), with the mean, process limits and point type of each, and
-- the variation icon of the latest. Rewritten for a measure whenever its values change.
CREATE TABLE IF NOT EXISTS measure_spc (
  measure    VARCHAR NOT NULL,
  level      VARCHAR NOT NULL,
  org        VARCHAR NOT NULL,
  periods    VARCHAR[] NOT NULL,
  mean       DOUBLE[] NOT NULL,
  lpl        DOUBLE[] NOT NULL,
  upl        DOUBLE[] NOT NULL,
  point_type VARCHAR[] NOT NULL,
  variation  VARCHAR NOT NULL
);

-- What peers achieved (peerImprovement): for each measure with a target still to come, level, the
-- collection's latest month (as_of), starting month and deadline, the median and 90th percentile
-- of peers' steady change a month over the same span; NULL when fewer than five changes exist.
CREATE TABLE IF NOT EXISTS peer_improvement (
  measure      VARCHAR NOT NULL,
  level        VARCHAR NOT NULL,
  as_of        VARCHAR NOT NULL,
  from_period  VARCHAR NOT NULL,
  deadline     VARCHAR NOT NULL,
  median       DOUBLE,
  p90          DOUBLE,
  observations INTEGER
);

-- Providers a roll-up level could not place in an area that month (listed on ICB and region pages).
CREATE TABLE IF NOT EXISTS measure_unplaced (
  measure VARCHAR NOT NULL,
  level   VARCHAR NOT NULL,
  period  VARCHAR NOT NULL,
  orgs    VARCHAR[] NOT NULL
);

-- What an ingest made stale, written in the ingest's own transaction: a collection's months
-- (period NULL = every month), or with rollups_only every collection's ICB, region and England
-- figures (an ODS file moved organisations between areas). Cleared by the refresh that rebuilds them.
CREATE TABLE IF NOT EXISTS measure_pending (
  collection   VARCHAR NOT NULL,
  period       VARCHAR,
  rollups_only BOOLEAN NOT NULL
);

-- Signals (record highs and lows, special causes, targets newly met or missed), computed with
-- the measure values; each row is one signal as JSON, under the collection it came from.
CREATE TABLE IF NOT EXISTS signals (
  collection VARCHAR NOT NULL,
  period     VARCHAR NOT NULL,
  org        VARCHAR NOT NULL,
  metric     VARCHAR NOT NULL,
  kind       VARCHAR NOT NULL,
  signal     VARCHAR NOT NULL
);

CREATE OR REPLACE VIEW current_files AS
  SELECT DISTINCT f.* FROM files f JOIN file_periods p USING (file_id) WHERE p.superseded_by IS NULL;

CREATE OR REPLACE VIEW current_observations AS
  SELECT p.collection, o.*
  FROM observations o
  JOIN file_periods p ON p.file_id = o.file_id AND p.period = o.period AND p.superseded_by IS NULL;

CREATE OR REPLACE VIEW current_notes AS
  SELECT p.collection, n.*
  FROM observation_notes n
  JOIN file_periods p ON p.file_id = n.file_id AND p.period = n.period AND p.superseded_by IS NULL;

CREATE OR REPLACE VIEW current_org_facts AS
  SELECT p.collection, f.*
  FROM org_facts f
  JOIN file_periods p ON p.file_id = f.file_id AND p.period = f.period AND p.superseded_by IS NULL;
`;

/** Tables whose row counts define "nothing changed" after a refused file. */
export const DATA_TABLES = ['files', 'file_periods', 'file_columns', 'observations', 'observation_notes', 'org_facts', 'org_links', 'measure_pending', 'measure_values', 'measure_spc', 'signals'] as const;
