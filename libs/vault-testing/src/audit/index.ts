export type { AuditAuth } from './interfaces/audit-auth.interface.js';
export type { AuditRequest } from './interfaces/audit-request.interface.js';
export type { AuditResponse } from './interfaces/audit-response.interface.js';
export type {
  AuditAuthEntry,
  AuditEntry,
  AuditRequestEntry,
  AuditResponseEntry,
} from './interfaces/audit-entry.interface.js';
export type { FileAuditDeviceOptions } from './interfaces/audit-file-device-options.interface.js';
export { FileAuditDevice } from './file-audit.device.js';
