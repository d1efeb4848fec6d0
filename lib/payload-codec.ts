import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM encryption of every workflow payload (documents, activity inputs and results, signals),
 * so customer names, emails and addresses never sit in clear in Temporal's history or its UI. The whole
 * payload (metadata and data) is sealed into a new one whose metadata says `binary/encrypted` and names
 * the key, so keys can rotate: the first key encrypts, every listed key decrypts.
 *
 * Payloads that are not encrypted pass through decode unchanged: histories recorded before the codec
 * existed (test/replay/histories) still replay.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKey {
  id: string;
  key: Buffer;
}

/** Thrown when a payload names a key this process does not have, or fails authentication. */
export class PayloadDecryptionError extends Error {}

/** A codec over `keys` (the first encrypts). Throws at once on an empty list. */
export function createPayloadCodec(keys: PayloadKey[]): PayloadCodec {
  if (keys.length === 0) throw new Error('payload codec: at least one key is needed');
  const [current] = keys;
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  const encoding = Buffer.from(ENCRYPTED_ENCODING);
  return {
    async encode(payloads) {
      return payloads.map((payload) => ({
        metadata: {
          [METADATA_ENCODING_KEY]: encoding,
          [KEY_ID_METADATA]: Buffer.from(current.id),
        },
        data: seal(current.key, temporal.api.common.v1.Payload.encode(payload).finish()),
      }));
    },
    async decode(payloads) {
      return payloads.map((payload) => {
        if (!isEncrypted(payload)) return payload;
        const keyId = Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();
        const key = byId.get(keyId);
        if (!key) throw new PayloadDecryptionError(`payload encrypted with unknown key id "${keyId}"`);
        const clear = open(key, payload.data ?? new Uint8Array());
        return temporal.api.common.v1.Payload.decode(clear) as Payload;
      });
    },
  };
}

/** True when the payload was sealed by this codec. */
export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  return encoding !== undefined && Buffer.from(encoding).toString() === ENCRYPTED_ENCODING;
}

/** The data converter every Temporal client and worker of qbo-sync uses. */
export function payloadDataConverter(keys: PayloadKey[]) {
  return { payloadCodecs: [createPayloadCodec(keys)] };
}

function seal(key: Buffer, clear: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(clear), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function open(key: Buffer, sealed: Uint8Array): Buffer {
  const data = Buffer.from(sealed);
  if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError('encrypted payload is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new PayloadDecryptionError('encrypted payload failed authentication (wrong key or altered data)');
  }
}
