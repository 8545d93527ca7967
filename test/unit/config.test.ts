import { ConfigError, describeConfig, loadConfig } from '../../src/config';

describe('config', () => {
  it('uses the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.temporal.address).toBeUndefined();
    expect(config.database.url).toBeUndefined();
    expect(config.api.port).toBe(3000);
    expect(config.temporal.taskQueue).toBe('pis-cases');
  });

  it('names every invalid setting in one readable message', () => {
    let error: unknown;
    try {
      loadConfig({ API_PORT: 'abc', DATABASE_URL: 'not a url', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('API_PORT');
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('LOG_LEVEL');
  });

  it('requires external services and secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL: required in production/);
  });

  it('rejects half a TLS client certificate', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/x.pem' })).toThrow(/must be set together/);
  });

  it('never shows the database password in the log view', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://pis:s3cret@db:5432/pis' });
    expect(JSON.stringify(describeConfig(config))).not.toContain('s3cret');
  });
});
