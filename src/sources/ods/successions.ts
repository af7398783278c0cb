/**
 * Successions Planwatch knows without the ODS successor file (`succ.csv`/`succarc.csv`), which
 * could not be downloaded while this was written. Each entry says what was checked, in which
 * file, so that it can be verified; `test/sources/ods/successions.real.test.ts` re-checks the
 * evidence against the real files. When an ODS successor file is ingested its links are used as
 * well; where the two disagree, ODS is the authority and this list should be corrected.
 */
export interface KnownSuccession {
  predecessor: string;
  successor: string;
  /** First month the successor runs the services ('YYYY-MM'). */
  effective: string;
  /** 'merger': the predecessor closed into the successor; 'split': part of it transferred. */
  kind: 'merger' | 'split';
  evidence: string;
}

export const KNOWN_SUCCESSIONS: readonly KnownSuccession[] = [
  {
    predecessor: 'RW6',
    successor: 'R0A',
    effective: '2021-04',
    kind: 'split',
    evidence:
      'Pennine Acute Hospitals (RW6) was split: NHS England monthly A&E CSVs show R0A (Manchester University FT) type 1 attendances rise from 18,277 (March 2021) to 27,732 (April 2021) as RW6 falls from 22,024 to 14,486, when North Manchester General Hospital moved to R0A. Authoritative record: ODS successor file (succarc.csv) or ORD API Succs for RW6.',
  },
  {
    predecessor: 'RW6',
    successor: 'RM3',
    effective: '2021-10',
    kind: 'merger',
    evidence:
      'ODS etr.csv (extract of January 2026) closes RW6 on 20210930; A&E CSVs list RW6 last in September 2021 and RM3 (Northern Care Alliance FT) type 1 attendances rise from 8,941 (September 2021) to 25,626 (October 2021) as the remaining RW6 hospitals joined it. Authoritative record: ODS successor file (succarc.csv) or ORD API Succs for RW6.',
  },
  {
    predecessor: 'RDZ',
    successor: 'R0D',
    effective: '2020-10',
    kind: 'merger',
    evidence: 'ODS etr.csv: RDZ (Royal Bournemouth and Christchurch) and RD3 (Poole) close on 20200930 and R0D (University Hospitals Dorset) opens on 20201001.',
  },
  {
    predecessor: 'RD3',
    successor: 'R0D',
    effective: '2020-10',
    kind: 'merger',
    evidence: 'ODS etr.csv: RDZ (Royal Bournemouth and Christchurch) and RD3 (Poole) close on 20200930 and R0D (University Hospitals Dorset) opens on 20201001.',
  },
  {
    predecessor: 'RE9',
    successor: 'R0B',
    effective: '2019-04',
    kind: 'merger',
    evidence: 'ODS etr.csv: RE9 (South Tyneside) and RLN (City Hospitals Sunderland) close on 20190331 and R0B (South Tyneside and Sunderland) opens on 20190401.',
  },
  {
    predecessor: 'RLN',
    successor: 'R0B',
    effective: '2019-04',
    kind: 'merger',
    evidence: 'ODS etr.csv: RE9 (South Tyneside) and RLN (City Hospitals Sunderland) close on 20190331 and R0B (South Tyneside and Sunderland) opens on 20190401.',
  },
];
