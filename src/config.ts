import path from 'node:path';
import { z } from 'zod';
import { MAX_HANDOVER_MOVE_HORIZON_DAYS } from './instants';

/**
 * The one place where settings are read. Everything comes from the environment (see
 * `.env.example`), is validated with zod and fails fast with a message that names the setting.
 * Secrets are never printed: use `describeConfig` for logs.
 */

const port = z.coerce.number().int().min(1).max(65535);
const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PIS_DATA_DIR: z.string().default('.data'),

  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port.default(3000),
  API_BODY_LIMIT: z.string().default('100kb'),
  /** How long an action waits for its workflow's answer before answering 202 (pending), ms. */
  API_ACTION_WAIT_MS: z.coerce.number().int().min(100).max(60_000).default(8000),
  /** The worker's reconciler (intake outbox, pending actions): seconds between passes. */
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),

  DATABASE_URL: optionalString.pipe(z.string().url('must be a postgres:// URL').optional()),
  EMBEDDED_PG_PORT: port.default(5433),

  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('pis-cases'),
  TEMPORAL_TLS: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  TEMPORAL_TLS_CA_PATH: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
  TEMPORAL_API_KEY: optionalString,
  EMBEDDED_TEMPORAL_PORT: port.default(7233),
  EMBEDDED_TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_TEST_SERVER_PATH: optionalString,
  TEMPORAL_UI_URL: optionalString,
  /** Worker deployment versioning (docs/versioning.md): both or neither. */
  TEMPORAL_DEPLOYMENT_NAME: optionalString,
  TEMPORAL_BUILD_ID: optionalString,

  /** Comma-separated `keyId:base64key` pairs (32-byte keys). The first one encrypts unless CODEC_ACTIVE_KEY_ID says otherwise. */
  CODEC_KEYS: optionalString,
  CODEC_ACTIVE_KEY_ID: optionalString,
  /** Comma-separated origins allowed to call the codec endpoint (the Temporal UI). */
  CODEC_CORS_ORIGINS: optionalString,

  /** Set: `GET /metrics` answers whoever presents it as a Bearer token; unset: callers on this machine only. */
  METRICS_TOKEN: optionalString,
  /** The Temporal Runtime's Prometheus exporter (worker metrics), e.g. `127.0.0.1:9464`. */
  TEMPORAL_METRICS_BIND_ADDRESS: optionalString,
  /** Tracing: OTLP/HTTP endpoint of a collector (e.g. `http://127.0.0.1:4318`); unset: no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString,
  OTEL_SERVICE_NAME: z.string().min(1).default('pis-case-management'),

  AUTH_TOKEN_SECRET: optionalString,
  AUTH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(3600),
  /** Tokens living longer than this (exp - iat) are refused on verification, whoever signed them. */
  AUTH_TOKEN_MAX_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(43200),

  /** Password login (POST /api/auth/login); `false` once single sign-on is the only way in. */
  AUTH_LOCAL_ACCOUNTS: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Single sign-on (OpenID Connect, authorization code + PKCE): the organisation's provider. */
  OIDC_ISSUER_URL: optionalString,
  OIDC_CLIENT_ID: optionalString,
  /** Unset: a public client (PKCE only). */
  OIDC_CLIENT_SECRET: optionalString,
  /** This API's callback as registered at the provider, e.g. `https://pis.example.it/api/v1/auth/oidc/callback`. */
  OIDC_REDIRECT_URI: optionalString,
  OIDC_SCOPES: z.string().trim().min(1).default('openid profile'),
  /** Claims that carry role, Comune (ISTAT code) and Ambito; without a role claim only mapped subjects (OidcIdentity) get in. */
  OIDC_ROLE_CLAIM: optionalString,
  OIDC_COMUNE_CLAIM: optionalString,
  OIDC_AMBITO_CLAIM: optionalString,
  /** Text of the console's button. */
  OIDC_LABEL: z.string().trim().min(1).max(80).default('Accedi con SPID/CIE (identity provider dell’ente)'),
  /** Allows an http:// provider (tests, a provider on this machine); refused in production. */
  OIDC_ALLOW_HTTP: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),

  /** Plausible date windows of what people enter (src/api/date-windows.ts). */
  INPUT_CLOCK_SKEW_MINUTES: z.coerce.number().int().min(0).max(120).default(10),
  REPORTED_AT_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  SUBMITTED_AT_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  HANDOVER_MOVE_HORIZON_DAYS: z.coerce.number().int().min(1).max(MAX_HANDOVER_MOVE_HORIZON_DAYS).default(30),

  /** Alerts: the console's push stream (`GET /api/events`) sends a heartbeat this often, seconds. */
  EVENTS_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(300).default(20),
  /** Where the console is reached from the recipients' browsers, for the links in e-mails. */
  CONSOLE_PUBLIC_URL: optionalString.pipe(z.string().url('must be an http(s):// URL').optional()),
  /** E-mail of escalations and handovers (unset SMTP_HOST: no e-mail is sent). */
  SMTP_HOST: optionalString,
  SMTP_PORT: port.default(587),
  /** `true`: TLS from the first byte (port 465); `false`: STARTTLS when the server offers it. */
  SMTP_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  SMTP_USER: optionalString,
  SMTP_PASSWORD: optionalString,
  SMTP_FROM: z.string().trim().min(3).default('PIS <pis-noreply@localhost>'),
  /** First retry after this many seconds, doubling up to an hour; given up after MAIL_MAX_ATTEMPTS. */
  MAIL_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
});

export interface TlsSettings {
  certPath?: string;
  keyPath?: string;
  caPath?: string;
  serverName?: string;
}

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  logLevel: string;
  dataDir: string;
  api: { host: string; port: number; bodyLimit: string; actionWaitMs: number };
  reconcileIntervalSeconds: number;
  database: { url?: string; embeddedPort: number };
  temporal: {
    address?: string;
    namespace: string;
    taskQueue: string;
    tls?: TlsSettings;
    apiKey?: string;
    embeddedPort: number;
    embeddedUiPort: number;
    cliPath?: string;
    testServerPath?: string;
    uiUrl?: string;
    /** Set: the worker polls as this deployment version, case workflows pinned to it. */
    deployment?: { name: string; buildId: string };
  };
  codec: { keys?: string; activeKeyId?: string; corsOrigins: string[] };
  auth: { tokenSecret?: string; tokenTtlSeconds: number; tokenMaxTtlSeconds: number };
  metrics: { token?: string; workerBindAddress?: string };
  /** Local accounts on or off, and the OpenID provider when single sign-on is configured. */
  login: { localAccounts: boolean; oidc?: OidcSettings };
  tracing: { otlpEndpoint?: string; serviceName: string };
  dateWindows: DateWindowSettings;
  alerts: AlertSettings;
}

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
}

export interface AlertSettings {
  heartbeatSeconds: number;
  consoleUrl: string;
  /** Unset: no e-mail is sent (notifications stay in the outbox, marked "new"). */
  smtp?: SmtpSettings;
  from: string;
  retryBaseSeconds: number;
  maxAttempts: number;
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  scopes: string;
  claims: { role?: string; comune?: string; ambito?: string };
  label: string;
  allowHttp: boolean;
}

/** How far from now the instants people enter may be (see src/api/date-windows.ts). */
export interface DateWindowSettings {
  /** Tolerated clock difference between the client and the server. */
  clockSkewMinutes: number;
  /** Intake `reportedAt`: not in the future (beyond the skew), nor older than this. */
  reportedAtMaxAgeDays: number;
  /** Task completion `submittedAt`: same rule. */
  submittedAtMaxAgeDays: number;
  /** Move-handover `at`: from now (minus the skew) to at most this far ahead. */
  handoverMoveHorizonDays: number;
}

export const DEFAULT_DATE_WINDOWS: DateWindowSettings = {
  clockSkewMinutes: 10,
  reportedAtMaxAgeDays: 30,
  submittedAtMaxAgeDays: 30,
  handoverMoveHorizonDays: 30,
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if ((e.TEMPORAL_TLS_CERT_PATH === undefined) !== (e.TEMPORAL_TLS_KEY_PATH === undefined)) {
    problems.push('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together');
  }
  if (e.NODE_ENV === 'production') {
    if (!e.DATABASE_URL) problems.push('DATABASE_URL: required in production');
    if (!e.TEMPORAL_ADDRESS) problems.push('TEMPORAL_ADDRESS: required in production');
    if (!e.CODEC_KEYS) problems.push('CODEC_KEYS: required in production');
    if (!e.AUTH_TOKEN_SECRET) problems.push('AUTH_TOKEN_SECRET: required in production');
  }
  if (e.AUTH_TOKEN_SECRET !== undefined && e.AUTH_TOKEN_SECRET.length < 32) {
    problems.push('AUTH_TOKEN_SECRET: must be at least 32 characters');
  }
  if (e.METRICS_TOKEN !== undefined && e.METRICS_TOKEN.length < 16) {
    problems.push('METRICS_TOKEN: must be at least 16 characters');
  }
  if (e.TEMPORAL_METRICS_BIND_ADDRESS !== undefined && !/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(e.TEMPORAL_METRICS_BIND_ADDRESS)) {
    problems.push('TEMPORAL_METRICS_BIND_ADDRESS: must be host:port, e.g. 127.0.0.1:9464');
  }
  if (e.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined && !/^https?:\/\/[^\s]+$/.test(e.OTEL_EXPORTER_OTLP_ENDPOINT)) {
    problems.push('OTEL_EXPORTER_OTLP_ENDPOINT: must be an http:// or https:// URL');
  }
  const oidcSet = [e.OIDC_ISSUER_URL, e.OIDC_CLIENT_ID, e.OIDC_REDIRECT_URI];
  if (oidcSet.some((v) => v !== undefined) && oidcSet.some((v) => v === undefined)) {
    problems.push('OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_REDIRECT_URI must be set together');
  }
  for (const [name, value] of [['OIDC_ISSUER_URL', e.OIDC_ISSUER_URL], ['OIDC_REDIRECT_URI', e.OIDC_REDIRECT_URI]] as const) {
    if (value === undefined) continue;
    const https = /^https:\/\/\S+$/.test(value);
    if (!https && !(e.OIDC_ALLOW_HTTP && /^http:\/\/\S+$/.test(value))) problems.push(`${name}: must be an https:// URL (http:// only with OIDC_ALLOW_HTTP=true)`);
  }
  if (e.OIDC_ALLOW_HTTP && e.NODE_ENV === 'production') problems.push('OIDC_ALLOW_HTTP: not allowed in production');
  if (!e.AUTH_LOCAL_ACCOUNTS && e.OIDC_ISSUER_URL === undefined) {
    problems.push('AUTH_LOCAL_ACCOUNTS: can be false only with single sign-on configured (OIDC_ISSUER_URL)');
  }
  if (e.AUTH_TOKEN_TTL_SECONDS > e.AUTH_TOKEN_MAX_TTL_SECONDS) {
    problems.push('AUTH_TOKEN_TTL_SECONDS: must not exceed AUTH_TOKEN_MAX_TTL_SECONDS');
  }
  if ((e.TEMPORAL_DEPLOYMENT_NAME === undefined) !== (e.TEMPORAL_BUILD_ID === undefined)) {
    problems.push('TEMPORAL_DEPLOYMENT_NAME and TEMPORAL_BUILD_ID must be set together');
  }
  if ((e.SMTP_USER === undefined) !== (e.SMTP_PASSWORD === undefined)) {
    problems.push('SMTP_USER and SMTP_PASSWORD must be set together');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const tlsWanted = e.TEMPORAL_TLS || e.TEMPORAL_TLS_CERT_PATH !== undefined || e.TEMPORAL_API_KEY !== undefined;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    dataDir: path.resolve(e.PIS_DATA_DIR),
    api: { host: e.API_HOST, port: e.API_PORT, bodyLimit: e.API_BODY_LIMIT, actionWaitMs: e.API_ACTION_WAIT_MS },
    reconcileIntervalSeconds: e.RECONCILE_INTERVAL_SECONDS,
    database: { url: e.DATABASE_URL, embeddedPort: e.EMBEDDED_PG_PORT },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      tls: tlsWanted
        ? {
            certPath: e.TEMPORAL_TLS_CERT_PATH,
            keyPath: e.TEMPORAL_TLS_KEY_PATH,
            caPath: e.TEMPORAL_TLS_CA_PATH,
            serverName: e.TEMPORAL_TLS_SERVER_NAME,
          }
        : undefined,
      apiKey: e.TEMPORAL_API_KEY,
      embeddedPort: e.EMBEDDED_TEMPORAL_PORT,
      embeddedUiPort: e.EMBEDDED_TEMPORAL_UI_PORT,
      cliPath: e.TEMPORAL_CLI_PATH,
      testServerPath: e.TEMPORAL_TEST_SERVER_PATH,
      uiUrl: e.TEMPORAL_UI_URL,
      deployment:
        e.TEMPORAL_DEPLOYMENT_NAME && e.TEMPORAL_BUILD_ID ? { name: e.TEMPORAL_DEPLOYMENT_NAME, buildId: e.TEMPORAL_BUILD_ID } : undefined,
    },
    codec: {
      keys: e.CODEC_KEYS,
      activeKeyId: e.CODEC_ACTIVE_KEY_ID,
      corsOrigins: (e.CODEC_CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    },
    auth: { tokenSecret: e.AUTH_TOKEN_SECRET, tokenTtlSeconds: e.AUTH_TOKEN_TTL_SECONDS, tokenMaxTtlSeconds: e.AUTH_TOKEN_MAX_TTL_SECONDS },
    metrics: { token: e.METRICS_TOKEN, workerBindAddress: e.TEMPORAL_METRICS_BIND_ADDRESS },
    login: {
      localAccounts: e.AUTH_LOCAL_ACCOUNTS,
      oidc:
        e.OIDC_ISSUER_URL && e.OIDC_CLIENT_ID && e.OIDC_REDIRECT_URI
          ? {
              issuer: e.OIDC_ISSUER_URL,
              clientId: e.OIDC_CLIENT_ID,
              clientSecret: e.OIDC_CLIENT_SECRET,
              redirectUri: e.OIDC_REDIRECT_URI,
              scopes: e.OIDC_SCOPES,
              claims: { role: e.OIDC_ROLE_CLAIM, comune: e.OIDC_COMUNE_CLAIM, ambito: e.OIDC_AMBITO_CLAIM },
              label: e.OIDC_LABEL,
              allowHttp: e.OIDC_ALLOW_HTTP,
            }
          : undefined,
    },
    tracing: { otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME },
    dateWindows: {
      clockSkewMinutes: e.INPUT_CLOCK_SKEW_MINUTES,
      reportedAtMaxAgeDays: e.REPORTED_AT_MAX_AGE_DAYS,
      submittedAtMaxAgeDays: e.SUBMITTED_AT_MAX_AGE_DAYS,
      handoverMoveHorizonDays: e.HANDOVER_MOVE_HORIZON_DAYS,
    },
    alerts: {
      heartbeatSeconds: e.EVENTS_HEARTBEAT_SECONDS,
      consoleUrl: (e.CONSOLE_PUBLIC_URL ?? `http://${e.API_HOST}:${e.API_PORT}`).replace(/\/+$/, ''),
      smtp: e.SMTP_HOST ? { host: e.SMTP_HOST, port: e.SMTP_PORT, secure: e.SMTP_SECURE, user: e.SMTP_USER, password: e.SMTP_PASSWORD } : undefined,
      from: e.SMTP_FROM,
      retryBaseSeconds: e.MAIL_RETRY_BASE_SECONDS,
      maxAttempts: e.MAIL_MAX_ATTEMPTS,
    },
  };
}

/** A log-safe view of the configuration: no secrets, no credentials in URLs. */
export function describeConfig(config: AppConfig): Record<string, unknown> {
  return {
    env: config.env,
    dataDir: config.dataDir,
    api: `${config.api.host}:${config.api.port}`,
    database: config.database.url ? redactUrl(config.database.url) : `embedded (port ${config.database.embeddedPort})`,
    temporal: config.temporal.address ?? `embedded (port ${config.temporal.embeddedPort})`,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    codecKeys: config.codec.keys ? 'configured' : 'generated locally',
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
