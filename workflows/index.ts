export { syncInvoice } from './sync-invoice';
