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

  it('observability settings: off by default, checked when set', () => {
    const config = loadConfig({});
    expect(config.tracing.otlpEndpoint).toBeUndefined();
    expect(config.metrics).toEqual({ token: undefined, workerBindAddress: undefined });
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    expect(() => loadConfig({ TEMPORAL_METRICS_BIND_ADDRESS: 'localhost' })).toThrow(/TEMPORAL_METRICS_BIND_ADDRESS: must be host:port/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: must be an http/);
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).tracing.otlpEndpoint).toBe('http://127.0.0.1:4318');
  });

  it('single sign-on settings: all three or none, https unless allowed, local accounts off only with SSO', () => {
    expect(loadConfig({}).login).toEqual({ localAccounts: true, oidc: undefined });
    expect(() => loadConfig({ OIDC_ISSUER_URL: 'https://idp.example.it' })).toThrow(/OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_REDIRECT_URI must be set together/);
    const sso = { OIDC_ISSUER_URL: 'http://127.0.0.1:9000', OIDC_CLIENT_ID: 'pis', OIDC_REDIRECT_URI: 'http://127.0.0.1:3000/api/v1/auth/oidc/callback' };
    expect(() => loadConfig(sso)).toThrow(/OIDC_ISSUER_URL: must be an https:\/\/ URL/);
    expect(loadConfig({ ...sso, OIDC_ALLOW_HTTP: 'true' }).login.oidc).toMatchObject({ issuer: sso.OIDC_ISSUER_URL, clientId: 'pis', scopes: 'openid profile' });
    expect(() => loadConfig({ ...sso, OIDC_ALLOW_HTTP: 'true', NODE_ENV: 'production' })).toThrow(/OIDC_ALLOW_HTTP: not allowed in production/);
    expect(() => loadConfig({ AUTH_LOCAL_ACCOUNTS: 'false' })).toThrow(/AUTH_LOCAL_ACCOUNTS: can be false only with single sign-on/);
  });
});
