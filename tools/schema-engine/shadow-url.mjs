// @ts-check
/**
 * Connection settings for shadow databases, built from explicit parts rather than by editing a
 * connection string: `{ ...config, database }` next to a `connectionString` silently keeps the
 * main database (the connection string wins in pg), and the engine would then wipe it.
 */

/**
 * @typedef {{ host?: string, port: number, user?: string, password?: string, database?: string,
 *   ssl?: boolean | { rejectUnauthorized: boolean }, max: number }} PgConfig
 */

const SHADOW_PREFIX = 'prisma_migrate_shadow_db_';

/**
 * Explicit pg settings from a postgres:// URL (host, port, user, password, database, sslmode).
 * @param {string} url
 * @param {{ database?: string }} [overrides]
 * @returns {PgConfig}
 */
export function pgConfigFromUrl(url, overrides = {}) {
  const u = new URL(url);
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new Error(`Unsupported database URL scheme "${u.protocol}" (expected postgresql://).`);
  }
  const params = u.searchParams;
  const sslmode = params.get('sslmode');
  /** @type {PgConfig} */
  const config = {
    host: decodeURIComponent(u.hostname) || params.get('host') || undefined,
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: overrides.database ?? databaseOf(url),
    max: 2,
  };
  if (sslmode === 'require' || sslmode === 'prefer' || sslmode === 'no-verify') config.ssl = { rejectUnauthorized: false };
  else if (sslmode === 'verify-ca' || sslmode === 'verify-full') config.ssl = { rejectUnauthorized: true };
  return config;
}

/**
 * Database named in a URL; like libpq, an empty path means the user's name.
 * @param {string} url
 */
export function databaseOf(url) {
  const u = new URL(url);
  return decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username) || 'postgres';
}

/**
 * pg settings for database `shadowDatabase` on the same server as `mainUrl`. Refuses a name
 * that is the main database.
 * @param {string} mainUrl
 * @param {string} shadowDatabase
 * @returns {PgConfig}
 */
export function buildShadowConfig(mainUrl, shadowDatabase) {
  if (!shadowDatabase) throw new Error('A shadow database needs an explicit name.');
  if (isSameDatabaseName(shadowDatabase, databaseOf(mainUrl))) {
    throw new Error(`Refusing to use the main database "${shadowDatabase}" as shadow database.`);
  }
  return pgConfigFromUrl(mainUrl, { database: shadowDatabase });
}

/**
 * @param {string} uuid
 */
export function temporaryShadowName(uuid) {
  return `${SHADOW_PREFIX}${uuid.replaceAll('-', '')}`;
}

/**
 * @param {string} a
 * @param {string} b
 */
export function isSameDatabaseName(a, b) {
  return a === b;
}

/**
 * `host:port/database` for messages: never credentials.
 * @param {string} url
 */
export function describeTarget(url) {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}/${databaseOf(url)}`;
  } catch {
    return '<unparsable url>';
  }
}

/**
 * Masks passwords in anything that might echo a connection string.
 * @param {string} text
 */
export function redact(text) {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s"']+:)[^@\s"']*@/gi, '$1***@')
    .replace(/(password\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&"',}]+)/gi, '$1***');
}
