import { randomUUID } from 'node:crypto';
import { createCompanyFile } from './company-file/company-file';
import type { CompanyFile } from './company-file/records';
import { DesktopFaults } from './desktop-faults';
import { WebConnector } from './web-connector/connector';

/** A simulated customer PC: the company file, its armed faults, and the Web Connector beside it. */
export interface DesktopCompany {
  file: CompanyFile;
  faults: DesktopFaults;
  connector: WebConnector;
}

/** Every Desktop company of one simulator process. */
export class DesktopRegistry {
  readonly companies = new Map<string, DesktopCompany>();

  constructor(private readonly nowMs: () => number) {}

  create(name: string | undefined, closingDate: string | undefined): DesktopCompany {
    const companyId = randomUUID();
    const file = createCompanyFile(
      companyId,
      name ?? `Desktop company ${this.companies.size + 1}`,
      this.nowMs(),
      closingDate,
    );
    const faults = new DesktopFaults();
    const company = { file, faults, connector: new WebConnector(file, faults, this.nowMs) };
    this.companies.set(companyId, company);
    return company;
  }

  /** Stops every connector's schedule and any session in flight. */
  close(): void {
    for (const company of this.companies.values()) company.connector.close();
  }
}
