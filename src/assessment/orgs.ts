// The organisation list moved into organisations.ts with the one Organisation model (issue 10);
// this path stays so branches written before the split still build.
export { listOrgs, type Organisation as OrgListing, type OrgQuery } from './organisations.js';
