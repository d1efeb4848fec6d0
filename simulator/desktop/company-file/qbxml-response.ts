import { XMLBuilder } from 'fast-xml-parser';
import type { QbStatus } from './status';

/** One `…Rs` element: the status attributes and, on success, the `…Ret` elements. */
export interface QbResponse {
  name: string;
  requestID?: string;
  status: QbStatus;
  /** Element name of each returned object (e.g. `ItemServiceRet`) and its ordered fields. */
  rets: { tag: string; value: Record<string, unknown> }[];
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
});

/** The response message set, as the request processor returns it: `<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>…`. */
export function buildResponseSet(responses: QbResponse[]): string {
  const body = responses
    .map((rs) => {
      const element: Record<string, unknown> = {
        ...(rs.requestID !== undefined ? { '@_requestID': rs.requestID } : {}),
        '@_statusCode': String(rs.status.statusCode),
        '@_statusSeverity': rs.status.statusSeverity,
        '@_statusMessage': rs.status.statusMessage,
      };
      for (const ret of rs.rets) {
        const existing = element[ret.tag];
        element[ret.tag] = existing === undefined ? ret.value : [...[existing].flat(), ret.value];
      }
      return builder.build({ [`${rs.name}Rs`]: element });
    })
    .join('');
  return `<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>${body}</QBXMLMsgsRs></QBXML>`;
}
