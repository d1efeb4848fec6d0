import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyFault } from '../../quickbooks/faults';

/** The JSON data-services envelope, as on Intuit's "Fix common errors" page. */
function fault(code: string, message: string, detail: string, element = '', type = 'ValidationFault') {
  return JSON.stringify({
    Fault: { Error: [{ Message: message, Detail: detail, code, element }], type },
    time: '2017-09-29T09:17:31.892-07:00',
  });
}

function gateway(message: string, code: string, type: string, detail: unknown = null) {
  return JSON.stringify({
    fault: { error: [{ message, detail, code, element: null }], type },
    time: 1633520295688,
  });
}

describe('classifyFault: envelopes', () => {
  it('gateway 401 (lower-case keys, code inside the message)', () => {
    const body = gateway(
      'message=AuthenticationFailed; errorCode=003200; statusCode=401',
      '3200',
      'AUTHENTICATION',
      'Malformed bearer token: too short or too long',
    );
    const f = classifyFault(401, body, { Intuit_Tid: '1-abc-123' });
    assert.equal(f.pattern, 'auth_expired');
    assert.equal(f.pause, 'auth');
    assert.equal(f.code, '3200');
    assert.equal(f.intuitTid, '1-abc-123');
    assert.equal(f.retryable, false);
  });

  it('gateway 401 with the code only in the message', () => {
    const body = gateway(
      'message=ApplicationAuthenticationFailed; errorCode=003200; statusCode=401',
      '',
      'AUTHENTICATION',
    );
    const f = classifyFault(401, body);
    assert.equal(f.pattern, 'auth_expired');
    assert.equal(f.code, '3200');
  });

  it('gateway 403 3100 AuthorizationFailed → forbidden, pause auth', () => {
    const body = gateway(
      'message=AuthorizationFailed; errorCode=003100; statusCode=403',
      '3100',
      'SERVICE',
      'The access token does not have sufficient scope',
    );
    const f = classifyFault(403, body);
    assert.equal(f.pattern, 'auth_forbidden');
    assert.equal(f.pause, 'auth');
  });

  it('3100 with statusCode=500 inside the message is transient, not forbidden', () => {
    const body = gateway('message=InternalServerError; errorCode=003100; statusCode=500', '3100', 'SERVICE');
    const f = classifyFault(500, body);
    assert.equal(f.pattern, 'transient_server');
    assert.equal(f.retryable, true);
    assert.equal(f.pause, undefined);
  });

  it('429 throttle (gateway JSON) with Retry-After', () => {
    const body = gateway(
      'message=ThrottleExceeded; errorCode=003001; statusCode=429',
      '3001',
      'SERVICE',
      'The request limit was reached.  Try again later',
    );
    const f = classifyFault(429, body, { 'Retry-After': '7' });
    assert.equal(f.pattern, 'throttled');
    assert.equal(f.retryable, true);
    assert.equal(f.retryAfterMs, 7000);
  });

  it('403 throttle (older statusCode=403) is throttled, not forbidden', () => {
    const body = gateway(
      'message=ThrottleExceeded; errorCode=003001; statusCode=403',
      '3001',
      'SERVICE',
      'The request limit was reached.  Try again later',
    );
    const f = classifyFault(403, body);
    assert.equal(f.pattern, 'throttled');
    assert.equal(f.retryAfterMs, undefined);
  });

  it('XML throttle on the JSON path (python-quickbooks#43)', () => {
    const body = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="2016-05-06T09:16:07.120-07:00">
  <Fault type="SERVICE">
    <Error code="3001">
      <Message>message=ThrottleExceeded; errorCode=003001; statusCode=403</Message>
      <Detail>The request limit was reached.  Try again later</Detail>
    </Error>
  </Fault>
</IntuitResponse>`;
    const f = classifyFault(403, Buffer.from(body));
    assert.equal(f.pattern, 'throttled');
    assert.equal(f.code, '3001');
    assert.equal(f.detail, 'The request limit was reached.  Try again later');
  });

  it('XML 6240 with element attribute', () => {
    const body = `<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="2013-04-03T10:36:19.393Z"><Fault type="ValidationFault"><Error code="6240" element="DisplayName"><Message>Duplicate Name Exists Error</Message><Detail>The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.</Detail></Error></Fault></IntuitResponse>`;
    const f = classifyFault(400, body);
    assert.equal(f.pattern, 'duplicate_name');
    assert.equal(f.element, 'DisplayName');
  });

  it('6190 Fault inside HTTP 200', () => {
    const body = fault(
      '6190',
      'Invalid Company Status',
      'Subscription period has ended or been canceled, or there was a billing problem',
    );
    const f = classifyFault(200, body);
    assert.equal(f.pattern, 'company_status');
    assert.equal(f.status, 200);
  });

  it('batch item fault ({bId, Fault}) as an object', () => {
    const item = {
      bId: 'b1',
      Fault: {
        Error: [
          {
            Message: 'Stale Object Error',
            Detail: 'Stale Object Error : You and API API were working on this at the same time.',
            code: '5010',
          },
        ],
        type: 'ValidationFault',
      },
    };
    assert.equal(classifyFault(200, item).pattern, 'stale_object');
  });

  it('batch response: the faulted item is found among successes', () => {
    const body = {
      BatchItemResponse: [
        { Invoice: { Id: '1' }, bId: 'a' },
        {
          Fault: {
            Error: [{ Message: 'Duplicate Document Number Error', Detail: 'x', code: '6140' }],
            type: 'ValidationFault',
          },
          bId: 'b',
        },
      ],
    };
    assert.equal(classifyFault(200, body).pattern, 'duplicate_doc_number');
  });

  it('plain-text 503 gateway page', () => {
    const f = classifyFault(
      503,
      '<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>',
    );
    assert.equal(f.pattern, 'transient_server');
    assert.equal(f.retryable, true);
    assert.match(f.detail, /Service Unavailable/);
    assert.equal(f.code, '503');
  });

  it('502 / 504 with empty bodies are transient', () => {
    assert.equal(classifyFault(502, '').pattern, 'transient_server');
    assert.equal(classifyFault(504, undefined).pattern, 'transient_server');
  });

  it('bare 401 / 403 / 429 without a body', () => {
    assert.equal(classifyFault(401, '').pattern, 'auth_expired');
    assert.equal(classifyFault(403, 'Forbidden').pattern, 'auth_forbidden');
    assert.equal(classifyFault(429, 'Too Many Requests').pattern, 'throttled');
  });

  it('several Error entries: the specific one wins over a generic one', () => {
    const body = {
      Fault: {
        Error: [
          {
            Message: 'A business validation error has occurred while processing your request',
            Detail: 'Business Validation Error: You must set a transaction amount.',
            code: '6000',
          },
          {
            Message: 'Duplicate Name Exists Error',
            Detail: 'The name supplied already exists.',
            code: '6240',
          },
        ],
        type: 'ValidationFault',
      },
    };
    assert.equal(classifyFault(400, body).pattern, 'duplicate_name');
  });

  it('numeric code and odd-case Fault.type', () => {
    const body = {
      fault: { error: [{ message: 'Stale Object Error', detail: '', code: 5010 }], type: 'validation' },
    };
    const f = classifyFault(400, body);
    assert.equal(f.pattern, 'stale_object');
    assert.equal(f.code, '5010');
  });

  it('misspelt AuthorizatonFault type without a code still pauses for auth', () => {
    const body = {
      Fault: {
        Error: [{ Message: 'Authorization failed', Detail: '', code: '' }],
        type: 'AuthorizatonFault',
      },
    };
    assert.equal(classifyFault(403, body).pattern, 'auth_forbidden');
  });

  it('Retry-After as an HTTP date', () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    const f = classifyFault(429, '', { 'retry-after': at });
    assert.ok(f.retryAfterMs !== undefined && f.retryAfterMs > 20_000 && f.retryAfterMs <= 30_000);
  });
});
