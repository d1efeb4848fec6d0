export { syncInvoice } from './sync-invoice';
export { reconcileCompany } from './reconcile-company';
