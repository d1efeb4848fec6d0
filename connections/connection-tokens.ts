import type { DbOrTx } from '../db/client';
import {
  rotateTokenColumns,
  saveConnectionRow,
  type ConnectionRow,
  type ConnectionSummary,
  type SealedTokenColumns,
} from '../db/queries/connections';
import type { TokenGrant } from '../quickbooks/oauth-client';
import type { TokenCipher } from './token-cipher';

/** The one place tokens are sealed before they reach the database and opened after they leave it. */

function sealedColumns(cipher: TokenCipher, grant: TokenGrant): SealedTokenColumns {
  const access = cipher.encrypt(grant.accessToken);
  const refresh = cipher.encrypt(grant.refreshToken);
  const at = grant.issuedAt.getTime();
  return {
    keyId: access.keyId,
    accessTokenEnc: access.ciphertext,
    refreshTokenEnc: refresh.ciphertext,
    accessTokenExpiresAt: new Date(at + grant.expiresIn * 1000),
    refreshTokenExpiresAt: new Date(at + grant.refreshExpiresIn * 1000),
    refreshTokenHardExpiresAt: grant.refreshHardExpiresIn
      ? new Date(at + grant.refreshHardExpiresIn * 1000)
      : null,
    refreshTokenIssuedAt: grant.issuedAt,
  };
}

/**
 * Stores a freshly authorised company, or replaces its tokens when it reconnects: status goes back to
 * active and tokenVersion moves on, so every process drops what it cached.
 */
export function saveConnection(
  db: DbOrTx,
  cipher: TokenCipher,
  input: { realmId: string; companyName?: string | null; environment: string; grant: TokenGrant },
): Promise<ConnectionSummary> {
  const { grant, ...company } = input;
  return saveConnectionRow(db, company, sealedColumns(cipher, grant));
}

/** Persists a refreshed pair and bumps tokenVersion. Call with the row locked. */
export function rotateTokens(
  db: DbOrTx,
  cipher: TokenCipher,
  realmId: string,
  grant: TokenGrant,
): Promise<ConnectionRow> {
  return rotateTokenColumns(db, realmId, sealedColumns(cipher, grant));
}

/** Opens a row's tokens. Throws TokenCipherError when the key is missing or the row was tampered with. */
export function openTokens(
  cipher: TokenCipher,
  row: ConnectionRow,
): { accessToken: string; refreshToken: string } {
  return {
    accessToken: cipher.decrypt({ keyId: row.keyId, ciphertext: row.accessTokenEnc }),
    refreshToken: cipher.decrypt({ keyId: row.keyId, ciphertext: row.refreshTokenEnc }),
  };
}
