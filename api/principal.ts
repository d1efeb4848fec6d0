import { keyPrincipal, type ApiKeys } from './auth';

/** Whether an admin session (by id hash) is still alive; the session store answers. */
export type SessionCheck = (idHash: string) => Promise<boolean>;

/**
 * Whether whoever started an OAuth flow may still act when its callback arrives: an admin key that is
 * still configured (`key:…`), or an admin session that is still alive (`session:…`).
 */
export function starterCheck(keys: ApiKeys, sessionIsActive: SessionCheck) {
  return async (startedBy: string): Promise<boolean> => {
    if (startedBy.startsWith('key:')) return keys.adminApiKeys.some((k) => keyPrincipal(k) === startedBy);
    if (startedBy.startsWith('session:')) return sessionIsActive(startedBy.slice('session:'.length));
    return false;
  };
}
