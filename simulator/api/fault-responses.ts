import { faultBody, gatewayForbidden, gatewayHtml, gatewayThrottle, throttleXml } from '../envelopes';
import { faults } from '../qbo-error';
import { jsonResponse, type DataResponse } from './data-response';
import type { FaultRule } from './injected-faults';

/** The response an injected fault sends instead of (or, for commit-then-lose/transient-6000, after) the real one. */
export function injectedFaultResponse(rule: FaultRule, now: number): DataResponse {
  switch (rule.kind) {
    case 'throttle': {
      const status = rule.status === 403 ? 403 : 429;
      return jsonResponse(status, gatewayThrottle(now, status), '3001');
    }
    case 'throttle-xml':
      return { status: 429, body: throttleXml(now), contentType: 'application/xml', faultCode: '3001' };
    case 'fault-in-200':
      return jsonResponse(200, faultBody([faults.systemFailure()], now), '10000');
    case 'transient-6000':
      return jsonResponse(400, faultBody([faults.transient()], now), '6000');
    case 'commit-then-lose':
      return { status: 502, body: gatewayHtml(502), contentType: 'text/html' };
    default:
      return statusResponse(rule.status ?? 500, now);
  }
}

function statusResponse(status: number, now: number): DataResponse {
  if (status === 500) return jsonResponse(500, faultBody([faults.systemFailure()], now), '10000');
  if (status === 502) return { status, body: gatewayHtml(502), contentType: 'text/html' };
  if (status === 503) return { status, body: gatewayHtml(503), contentType: 'text/html' };
  if (status === 429) return jsonResponse(429, gatewayThrottle(now), '3001');
  return jsonResponse(403, gatewayForbidden(now), '3100');
}
