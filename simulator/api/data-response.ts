import { faults, QboError } from '../qbo-error';

/** A data-API response before it becomes HTTP. */
export interface DataResponse {
  status: number;
  body: string;
  contentType: string;
  faultCode?: string;
  /** The simulator's own limit that refused the request (429s only). */
  limit?: string;
  /** How many items of a batch answer are faults (batch requests only). */
  itemFaults?: number;
}

/** Turns anything thrown by a handler into a QboError; unknown errors become a logged SystemFault 10000. */
export function envelopeError(err: unknown): QboError {
  if (err instanceof QboError) return err;
  console.error(
    JSON.stringify({ msg: 'simulator internal error', error: String((err as Error)?.stack ?? err) }),
  );
  return faults.systemFailure();
}

/** A JSON response. */
export function jsonResponse(status: number, body: unknown, faultCode?: string): DataResponse {
  return { status, body: JSON.stringify(body), contentType: 'application/json;charset=UTF-8', faultCode };
}
