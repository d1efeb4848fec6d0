import type { CompanyFile } from '../company-file/records';

/**
 * The `strHCPResponse` QBWC sends with the first sendRequestXML of a session: HostQuery, CompanyQuery and
 * PreferencesQuery answers of the open company file (shape as in the qbwc gem's captured fixture).
 */
export function hostCompanyPreferences(file: CompanyFile, fileId: string): string {
  const versions = [
    '1.0',
    '2.0',
    '3.0',
    '4.0',
    '5.0',
    '6.0',
    '7.0',
    '8.0',
    '9.0',
    '10.0',
    '11.0',
    '12.0',
    '13.0',
  ]
    .map((v) => `<SupportedQBXMLVersion>${v}</SupportedQBXMLVersion>`)
    .join('');
  const name = file.name.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return (
    '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>' +
    '<HostQueryRs requestID="0" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><HostRet>' +
    '<ProductName>QuickBooks Pro 2014</ProductName><MajorVersion>24</MajorVersion><MinorVersion>0</MinorVersion>' +
    `<Country>US</Country>${versions}<IsAutomaticLogin>false</IsAutomaticLogin><QBFileMode>SingleUser</QBFileMode>` +
    '</HostRet></HostQueryRs>' +
    '<CompanyQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><CompanyRet>' +
    `<IsSampleCompany>false</IsSampleCompany><CompanyName>${name}</CompanyName><LegalCompanyName>${name}</LegalCompanyName>` +
    '<DataExtRet><OwnerID>{57F3B9B6-86F1-4FCD-B1EF-166DE1813D20}</OwnerID><DataExtName>FileID</DataExtName>' +
    `<DataExtType>STR255TYPE</DataExtType><DataExtValue>${fileId}</DataExtValue></DataExtRet>` +
    '</CompanyRet></CompanyQueryRs>' +
    '<PreferencesQueryRs requestID="2" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><PreferencesRet>' +
    '<MultiCurrencyPreferences><IsMultiCurrencyOn>false</IsMultiCurrencyOn></MultiCurrencyPreferences>' +
    '</PreferencesRet></PreferencesQueryRs>' +
    '</QBXMLMsgsRs></QBXML>'
  );
}
