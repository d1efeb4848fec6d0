export { syncInvoice } from './sync-invoice';
export { trackChanges } from './track-changes';
