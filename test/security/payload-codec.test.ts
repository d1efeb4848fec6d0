import { defaultPayloadConverter } from '@temporalio/common';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  createPayloadCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  PayloadDecryptionError,
} from '../../lib/payload-codec';

/** The AES-256-GCM payload codec: sealed payloads name their key; old keys decrypt; clear ones pass. */
const key = (id: string) => ({ id, key: randomBytes(32) });
const customer = { displayName: 'Margaret Hamilton', email: 'margaret@example.com' };

describe('payload codec (AES-256-GCM)', () => {
  it('encrypts with the first key, names it in the metadata, and decrypts to the same payload', async () => {
    const k1 = key('p1');
    const codec = createPayloadCodec([k1, key('p0')]);
    const clear = defaultPayloadConverter.toPayload(customer);
    const [sealed] = await codec.encode([clear]);
    assert.equal(Buffer.from(sealed.metadata!.encoding).toString(), ENCRYPTED_ENCODING);
    assert.equal(Buffer.from(sealed.metadata![KEY_ID_METADATA]).toString(), 'p1');
    const bytes = Buffer.from(sealed.data!).toString('latin1');
    assert.ok(!bytes.includes('Margaret') && !bytes.includes('json/plain'), 'nothing readable in the data');
    const [opened] = await codec.decode([sealed]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(opened), customer);
    const [again] = await codec.encode([clear]);
    assert.notDeepEqual(Buffer.from(again.data!), Buffer.from(sealed.data!), 'a fresh IV each time');
  });

  it('decrypts with a key that is no longer first (rotation), and refuses an unknown key id', async () => {
    const old = key('p1');
    const [sealed] = await createPayloadCodec([old]).encode([defaultPayloadConverter.toPayload(customer)]);
    const rotated = createPayloadCodec([key('p2'), old]);
    assert.deepEqual(defaultPayloadConverter.fromPayload((await rotated.decode([sealed]))[0]), customer);
    await assert.rejects(createPayloadCodec([key('p2')]).decode([sealed]), PayloadDecryptionError);
  });

  it('refuses altered data and a wrong key under the same id', async () => {
    const k = key('p1');
    const [sealed] = await createPayloadCodec([k]).encode([defaultPayloadConverter.toPayload(customer)]);
    const altered = Buffer.from(sealed.data!);
    altered[20] ^= 1;
    await assert.rejects(
      createPayloadCodec([k]).decode([{ ...sealed, data: altered }]),
      PayloadDecryptionError,
    );
    await assert.rejects(createPayloadCodec([key('p1')]).decode([sealed]), PayloadDecryptionError);
  });

  it('passes payloads that were never encrypted through decode unchanged (older histories)', async () => {
    const clear = defaultPayloadConverter.toPayload(customer);
    const [out] = await createPayloadCodec([key('p1')]).decode([clear]);
    assert.equal(out, clear);
  });
});
