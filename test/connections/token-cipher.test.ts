import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createTokenCipher, TokenCipherError } from '../../connections/token-cipher';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

void describe('token cipher', () => {
  void it('round-trips a token and never stores it in clear', () => {
    const cipher = createTokenCipher([k1]);
    const sealed = cipher.encrypt('refresh-token-AB11');
    assert.equal(sealed.keyId, 'k1');
    assert.ok(!Buffer.from(sealed.ciphertext, 'base64').toString('latin1').includes('refresh-token-AB11'));
    assert.equal(cipher.decrypt(sealed), 'refresh-token-AB11');
    assert.notEqual(
      cipher.encrypt('same').ciphertext,
      cipher.encrypt('same').ciphertext,
      'a fresh iv every time',
    );
  });

  void it('reads values sealed under a rotated-out key and seals new ones with the new key', () => {
    const before = createTokenCipher([k1]);
    const old = before.encrypt('sealed-before-rotation');
    const after = createTokenCipher([k2, k1]);
    assert.equal(after.decrypt(old), 'sealed-before-rotation');
    const fresh = after.encrypt('sealed-after-rotation');
    assert.equal(fresh.keyId, 'k2');
    assert.throws(
      () => before.decrypt(fresh),
      TokenCipherError,
      'the old deployment cannot read the new key',
    );
  });

  void it('refuses a tampered ciphertext, a relabelled key id and an unknown key', () => {
    const cipher = createTokenCipher([k1, { id: 'k0', key: k1.key }]);
    const sealed = cipher.encrypt('access-token');
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[bytes.length - 1] ^= 1;
    assert.throws(
      () => cipher.decrypt({ keyId: 'k1', ciphertext: bytes.toString('base64') }),
      TokenCipherError,
    );
    assert.throws(() => cipher.decrypt({ keyId: 'k0', ciphertext: sealed.ciphertext }), TokenCipherError);
    assert.throws(
      () => cipher.decrypt({ keyId: 'nope', ciphertext: sealed.ciphertext }),
      /no token encryption key with id nope/,
    );
    assert.throws(() => cipher.decrypt({ keyId: 'k1', ciphertext: 'AAAA' }), TokenCipherError);
  });

  void it('rejects bad key material at start', () => {
    assert.throws(() => createTokenCipher([]), TokenCipherError);
    assert.throws(() => createTokenCipher([{ id: 'short', key: randomBytes(16) }]), /32 bytes/);
  });

  void it('error messages never contain the plaintext', () => {
    const cipher = createTokenCipher([k1]);
    const sealed = cipher.encrypt('secret-value-xyz');
    const tampered = { keyId: 'k1', ciphertext: sealed.ciphertext.slice(0, -4) + 'AAAA' };
    assert.notEqual(tampered.ciphertext, sealed.ciphertext);
    assert.throws(
      () => cipher.decrypt(tampered),
      (err: unknown) => {
        assert.ok(err instanceof TokenCipherError, `a TokenCipherError, not ${String(err)}`);
        assert.ok(
          !err.message.includes('secret-value-xyz'),
          `the message leaks the plaintext: ${err.message}`,
        );
        return true;
      },
    );
  });
});
