import { XMLBuilder } from 'fast-xml-parser';

const builder = new XMLBuilder({ format: true, indentBy: '  ' });

export interface QwcFields {
  companyName: string;
  /** The SOAP endpoint the Web Connector polls (HTTPS, or http on localhost only: QBWC refuses others). */
  appUrl: string;
  supportUrl: string;
  username: string;
  ownerId: string;
  fileId: string;
  runEveryMinutes: number;
}

/**
 * The .QWC file an admin opens in the Web Connector (File → Add an application) to let it poll us for one
 * company. Holds no password: the admin types it into the Web Connector. Fields as in the QBWC
 * programmer's guide (AppName, AppID, AppURL, AppDescription, AppSupport, UserName, OwnerID, FileID, QBType,
 * Scheduler, IsReadOnly).
 */
export function qwcFile(f: QwcFields): string {
  return (
    '<?xml version="1.0"?>\n' +
    builder.build({
      QBWCXML: {
        AppName: `qbo-sync (${f.companyName})`.slice(0, 100),
        AppID: '',
        AppURL: f.appUrl,
        AppDescription:
          'Keeps invoices, customers, items and payments from your business app in QuickBooks, exactly once.',
        AppSupport: f.supportUrl,
        UserName: f.username,
        OwnerID: f.ownerId,
        FileID: f.fileId,
        QBType: 'QBFS',
        Scheduler: { RunEveryNMinutes: f.runEveryMinutes },
        IsReadOnly: 'false',
      },
    })
  );
}
