import { qboTimestamp } from './clock';
import type { QboError } from './qbo-error';

/** The standard `{"Fault":…}` body QuickBooks data services return. */
export function faultBody(errors: QboError[], now: number): object {
  return {
    Fault: { Error: errors.map((e) => e.item), type: errors[0]?.faultType ?? 'ValidationFault' },
    time: qboTimestamp(now),
  };
}

/** The API gateway's 401 body (lower-case keys, epoch-ms time). */
export function gatewayAuthFailure(detail: string, now: number): object {
  return {
    warnings: null,
    intuitObject: null,
    fault: {
      error: [
        {
          message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
          detail,
          code: '3200',
          element: null,
        },
      ],
      type: 'AUTHENTICATION',
    },
    report: null,
    queryResponse: null,
    batchItemResponse: [],
    attachableResponse: [],
    syncErrorResponse: null,
    requestId: null,
    time: now,
    status: null,
    cdcresponse: [],
  };
}

/** The gateway's throttle body; `status` is 429, or 403 for the older variant. */
export function gatewayThrottle(now: number, status: 429 | 403 = 429): object {
  return {
    fault: {
      error: [
        {
          message: `message=ThrottleExceeded; errorCode=003001; statusCode=${status}`,
          detail: 'The request limit was reached.  Try again later',
          code: '3001',
          element: null,
        },
      ],
      type: 'SERVICE',
    },
    time: now,
  };
}

/** The gateway's 403 authorization body. */
export function gatewayForbidden(now: number): object {
  return {
    fault: {
      error: [
        {
          message: 'message=AuthorizationFailed; errorCode=003100; statusCode=403',
          detail: null,
          code: '3100',
          element: null,
        },
      ],
      type: 'SERVICE',
    },
    time: now,
  };
}

/** The throttle fault as XML, which QuickBooks sends even when JSON was asked for. */
export function throttleXml(now: number): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    `<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="${qboTimestamp(now)}">` +
    '<Fault type="SERVICE"><Error code="3001" element="">' +
    '<Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>' +
    '<Detail>The request limit was reached.  Try again later</Detail>' +
    '</Error></Fault></IntuitResponse>'
  );
}

/** An HTML page like the one a load balancer returns for 502/503. */
export function gatewayHtml(status: 502 | 503): string {
  const title = status === 502 ? '502 Bad Gateway' : '503 Service Temporarily Unavailable';
  return `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center></body></html>`;
}
