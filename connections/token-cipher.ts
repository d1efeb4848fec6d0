import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One encryption key: `id` is stored beside every ciphertext so keys can rotate. */
export interface TokenKey {
  id: string;
  key: Buffer;
}

/** Encrypted text plus the id of the key that sealed it. */
export interface Sealed {
  keyId: string;
  /** base64 of iv (12 bytes) + auth tag (16 bytes) + ciphertext. */
  ciphertext: string;
}

export interface TokenCipher {
  /** Seals `plain` with the first (current) key. */
  encrypt(plain: string): Sealed;
  /** Opens a value sealed by any configured key. Throws TokenCipherError on an unknown key or tampering. */
  decrypt(sealed: Sealed): string;
  /** The id new values are sealed with. */
  readonly currentKeyId: string;
}

/** Raised when a stored token cannot be opened; never carries the ciphertext or the key. */
export class TokenCipherError extends Error {
  override name = 'TokenCipherError';
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with key ids. The first key encrypts; all keys decrypt, so an operator rotates by
 * putting a new key first and keeping the old one until every row has been re-sealed.
 * Throws TokenCipherError when no key is given or a key is not 32 bytes.
 */
export function createTokenCipher(keys: readonly TokenKey[]): TokenCipher {
  if (keys.length === 0) throw new TokenCipherError('at least one token encryption key is required');
  const byId = new Map<string, Buffer>();
  for (const { id, key } of keys) {
    if (key.length !== 32) throw new TokenCipherError(`token key ${id} must be 32 bytes`);
    if (byId.has(id)) throw new TokenCipherError(`token key id ${id} appears twice`);
    byId.set(id, key);
  }
  const current = keys[0];

  return {
    currentKeyId: current.id,
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      // The key id is authenticated too, so a ciphertext cannot be relabelled to another key.
      cipher.setAAD(Buffer.from(current.id, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return {
        keyId: current.id,
        ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64'),
      };
    },
    decrypt({ keyId, ciphertext }) {
      const key = byId.get(keyId);
      if (!key) throw new TokenCipherError(`no token encryption key with id ${keyId} is configured`);
      const packed = Buffer.from(ciphertext, 'base64');
      if (packed.length < IV_BYTES + TAG_BYTES) throw new TokenCipherError('stored token is truncated');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, packed.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(keyId, 'utf8'));
        decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([
          decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new TokenCipherError(
          `stored token failed authentication under key ${keyId} (tampered or wrong key)`,
        );
      }
    },
  };
}
