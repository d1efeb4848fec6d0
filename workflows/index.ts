export { syncInvoice } from './sync-invoice';
export { trackChanges } from './track-changes';
export { reconcileCompany } from './reconcile-company';
