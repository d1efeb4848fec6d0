import { randomUUID } from 'node:crypto';
import type { DesktopFaultInput } from './control-schemas';

/** An armed fault with the number of times it still fires. */
export type DesktopFault = DesktopFaultInput & { id: string; remaining: number };

/** The faults armed for one company file, consumed as matching requests arrive. */
export class DesktopFaults {
  private readonly armed: DesktopFault[] = [];

  add(input: DesktopFaultInput): DesktopFault {
    const fault = { ...input, id: randomUUID(), remaining: input.times };
    this.armed.push(fault);
    return fault;
  }

  clear(): void {
    this.armed.length = 0;
  }

  list(): DesktopFault[] {
    return [...this.armed];
  }

  /** Fires (and counts down) the first fault of `kind` matching any of the request names given. */
  take<K extends DesktopFault['kind']>(
    kind: K,
    requestNames: string[],
  ): Extract<DesktopFault, { kind: K }> | undefined {
    const index = this.armed.findIndex(
      (f) => f.kind === kind && (!f.match?.request || requestNames.includes(f.match.request)),
    );
    if (index < 0) return undefined;
    const fault = this.armed[index];
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.armed.splice(index, 1);
    return fault as Extract<DesktopFault, { kind: K }>;
  }
}
