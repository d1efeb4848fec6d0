/**
 * QuickBooks faults, one import away: classification of responses (classify-fault.ts) and of failed
 * requests (network-error.ts), and the QboFault error the domain throws (qbo-fault.ts).
 */
export { classifyFault, hasFault } from './classify-fault';
export { classifyNetworkError } from './network-error';
export { isFault, localFault, QboFault, refine, type ClassifiedFault } from './qbo-fault';
