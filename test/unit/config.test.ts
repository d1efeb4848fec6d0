import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDefaultSecrets, ConfigError, loadConfig } from '../../config';

describe('config', () => {
  it('works with no environment at all, on local defaults', () => {
    const config = loadConfig({});
    assert.equal(config.TEMPORAL_NAMESPACE, 'default');
    assert.deepEqual(config.adminApiKeys, ['dev-admin-key']);
    assert.equal(config.tokenKeys[0].key.length, 32);
  });

  it('names every malformed variable and why', () => {
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'mysql:/nope', API_PORT: '70000', TEMPORAL_ADDRESS: 'no-port' }),
      (err: Error) =>
        err instanceof ConfigError &&
        /DATABASE_URL: must look like postgres/.test(err.message) &&
        /API_PORT/.test(err.message) &&
        /TEMPORAL_ADDRESS: must be host:port/.test(err.message),
    );
    assert.throws(
      () => loadConfig({ TOKEN_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' }),
      /TOKEN_ENCRYPTION_KEYS: entry 1/,
    );
  });

  it('refuses the local default secrets in production, and accepts real ones', () => {
    assert.throws(
      () => checkDefaultSecrets(loadConfig({ NODE_ENV: 'production' })),
      /ADMIN_API_KEYS: the public local default/,
    );
    const real = loadConfig({
      NODE_ENV: 'production',
      SOURCE_API_KEYS: 's-1f9a',
      ADMIN_API_KEYS: 'a-77c2',
      QBO_CLIENT_SECRET: 'from-intuit',
      TOKEN_ENCRYPTION_KEYS: `k2:${Buffer.alloc(32, 9).toString('base64')}`,
      PAYLOAD_ENCRYPTION_KEYS: `p2:${Buffer.alloc(32, 8).toString('base64')}`,
      QBO_WEBHOOK_VERIFIER_TOKEN: 'verifier-from-intuit',
    });
    assert.doesNotThrow(() => checkDefaultSecrets(real));
  });

  it('refuses the public webhook verifier token in production: anyone could sign notifications with it', () => {
    const base = {
      NODE_ENV: 'production',
      SOURCE_API_KEYS: 's-1f9a',
      ADMIN_API_KEYS: 'a-77c2',
      QBO_CLIENT_SECRET: 'from-intuit',
      TOKEN_ENCRYPTION_KEYS: `k2:${Buffer.alloc(32, 9).toString('base64')}`,
      PAYLOAD_ENCRYPTION_KEYS: `p2:${Buffer.alloc(32, 8).toString('base64')}`,
    };
    assert.throws(
      () => checkDefaultSecrets(loadConfig(base)),
      (err: Error) =>
        err instanceof ConfigError &&
        err.message === 'QBO_WEBHOOK_VERIFIER_TOKEN: the public local default must not be used in production',
    );
    assert.throws(
      () => checkDefaultSecrets(loadConfig({ ...base, NODE_ENV: 'development', API_HOST: '0.0.0.0' })),
      /QBO_WEBHOOK_VERIFIER_TOKEN: the public local default must not be used with API_HOST=0\.0\.0\.0/,
    );
    assert.doesNotThrow(
      () => checkDefaultSecrets(loadConfig({ ...base, NODE_ENV: 'development' })),
      'on loopback in development the local default is fine',
    );
  });
});
