/**
 * The interface log (issue 7) as the server and CLI use it. Open the store once at start-up
 * (migrations run then), build an InterfaceContext from it, and pass the signed-in Caller to
 * every service function: the functions, not the routes, decide what a caller may see and do.
 */
export { AREAS, areaLabel, type AreaId } from './areas.js';
export {
  callerForAccount,
  changeOwnPassword,
  createAccount,
  disableAccount,
  enableAccount,
  endSessions,
  findAccount,
  getAccount,
  listSessions,
  PASSWORD_FORM,
  PASSWORD_LABELS,
  type AccountManager,
  type SessionSummary,
  ensureAdministrator,
  listAccounts,
  setPassword,
  signInWithOidc,
  signInWithPassword,
  ACCOUNT_FORM,
  ACCOUNT_LABELS,
  type Account,
  type AccountInput,
  type OidcIdentity,
} from './accounts.js';
export { describeCaller, type Caller, type InterfaceContext } from './context.js';
export { SCRYPT_COST, scryptCost, type ScryptCost } from './passwords.js';
export { interfaceTarget, migrateInterfaceStore, openInterfaceStore, type InterfaceStore, type InterfaceTarget, type OpenOptions } from './database.js';
export {
  acknowledgeIssue,
  closeIssue,
  getIssue,
  listIssues,
  recordIssueAction,
  reportIssue,
  respondToIssue,
  REPORT_FORM,
  REPORT_LABELS,
  RESPONSE_FORM,
  RESPONSE_LABELS,
  type Issue,
  type IssueFilter,
  type ReportInput,
} from './issues.js';
export { findNhsNumbers } from './nhs-number.js';
export { redactIssueField, REDACTABLE_FIELDS, REDACTED, type RedactableField } from './redaction.js';
export { previousQuarter, quarter, quarterContaining, type Quarter } from './quarters.js';
export { getRegister, removeContact, requireRegisterEditor, saveContact, CONTACT_FORM, CONTACT_LABELS, type Contact, type ContactInput, type Register } from './register.js';
export { reviewIcb, reviewToCsv, type Figures, type IcbReview, type OldestOpen, type ReviewRow, type Theme } from './review.js';
export { ROLES, STATUSES, type IssueStatus, type Role } from './schema.js';
export { deleteSession, readSession, serverSecret, sessionIdHash, writeSession, type StoredSession } from './sessions.js';
export { ODS_CODE } from './validation.js';
export { findTrust, listTrusts, trustsOfIcb, upsertTrustIcbMapping, type TrustIcb } from './trusts.js';
