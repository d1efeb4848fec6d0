import { buildSoapRequest, parseSoapResponse, QbwcMethod, QbwcProtocolError } from './soap-envelope';

/** The server could not be reached at all (refused, reset, timed out): QBWC shows it and tries next time. */
export class QbwcUnreachableError extends Error {}

/**
 * Calls one QBWC method over HTTP POST the way the real Web Connector does: SOAP 1.1, `Content-Type:
 * text/xml; charset=utf-8`, a quoted `SOAPAction` of namespace + method. Anything but HTTP 200 with a
 * well-formed answer throws {@link QbwcProtocolError} (or {@link QbwcUnreachableError}).
 */
export async function callQbwc(
  appUrl: string,
  method: QbwcMethod,
  params: [string, string | number][],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string | string[] | undefined> {
  let res: Response;
  try {
    res = await fetch(appUrl, {
      method: 'POST',
      headers: {
        'content-type': 'text/xml; charset=utf-8',
        soapaction: `"http://developer.intuit.com/${method}"`,
        'user-agent': 'Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol 4.0.30319.42000)',
      },
      body: buildSoapRequest(method, params),
      signal: signal
        ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
        : AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new QbwcUnreachableError(`${method}: ${(err as Error).message}`);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw new QbwcUnreachableError(`${method}: ${(err as Error).message}`);
  }
  // A SOAP 1.1 server reports Faults with HTTP 500; read the Fault for the message, else say the status.
  if (res.status !== 200) {
    try {
      parseSoapResponse(method, text);
    } catch (err) {
      if (err instanceof QbwcProtocolError && err.message.includes('SOAP Fault'))
        throw new QbwcProtocolError(`HTTP ${res.status}: ${err.message}`);
    }
    throw new QbwcProtocolError(`${method}: HTTP ${res.status}`);
  }
  return parseSoapResponse(method, text);
}
