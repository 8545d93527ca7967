import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';

/**
 * The AES-256 keys of the payload codec. Several keys can be readable at once so that keys can
 * be rotated: payloads are always encrypted with the active key and decrypted with whichever
 * key their `encryption-key-id` names.
 *
 * Key material never leaves this module except through `encryptionKey`/`decryptionKey`, and
 * the keyring prints only its key ids (logging it by mistake leaks nothing).
 */

export const KEY_BYTES = 32;
const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
export const LOCAL_KEYRING_FILE = 'codec-keys';

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

export interface KeyringEntry {
  id: string;
  key: Uint8Array;
}

export class Keyring {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly activeKeyId: string;

  constructor(entries: readonly KeyringEntry[], activeKeyId: string) {
    const keys = new Map<string, Buffer>();
    for (const { id, key } of entries) {
      if (!KEY_ID_PATTERN.test(id)) throw new KeyringError(`key id ${quoteId(id)} must match ${KEY_ID_PATTERN.source}`);
      if (keys.has(id)) throw new KeyringError(`key id "${id}" appears more than once`);
      if (key.length !== KEY_BYTES) throw new KeyringError(`key "${id}" must be ${KEY_BYTES} bytes, got ${key.length}`);
      keys.set(id, Buffer.from(key));
    }
    if (keys.size === 0) throw new KeyringError('at least one key is required');
    if (!keys.has(activeKeyId)) throw new KeyringError(`active key id ${quoteId(activeKeyId)} is not among the keys (${[...keys.keys()].join(', ')})`);
    this.#keys = keys;
    this.activeKeyId = activeKeyId;
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  has(keyId: string): boolean {
    return this.#keys.has(keyId);
  }

  /** The key new payloads are encrypted with. */
  encryptionKey(): { id: string; key: Buffer } {
    return { id: this.activeKeyId, key: this.#keys.get(this.activeKeyId) as Buffer };
  }

  /** The key a payload names, or undefined when this keyring does not hold it. */
  decryptionKey(keyId: string): Buffer | undefined {
    return this.#keys.get(keyId);
  }

  /** Same keys, another active one: the switch step of a rotation. */
  withActiveKey(keyId: string): Keyring {
    return new Keyring([...this.#keys].map(([id, key]) => ({ id, key })), keyId);
  }

  toJSON(): { activeKeyId: string; keyIds: string[] } {
    return { activeKeyId: this.activeKeyId, keyIds: this.keyIds };
  }

  [inspect.custom](): string {
    return `Keyring(active=${this.activeKeyId}, keys=[${this.keyIds.join(', ')}])`;
  }
}

/**
 * Parses `CODEC_KEYS` (`keyId:base64key,keyId:base64key`). The active key is `activeKeyId` when
 * given, else the first one. Errors name the entry and key id, never the key.
 */
export function parseKeyring(spec: string, activeKeyId?: string, settingName = 'CODEC_KEYS'): Keyring {
  const entries: KeyringEntry[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const items = spec.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  items.forEach((item, index) => {
    const where = `entry ${index + 1}`;
    const colon = item.indexOf(':');
    if (colon <= 0) {
      problems.push(`${where}: expected "keyId:base64key"`);
      return;
    }
    const id = item.slice(0, colon).trim();
    const encoded = item.slice(colon + 1).trim();
    if (!KEY_ID_PATTERN.test(id)) {
      problems.push(`${where}: key id must be 1-64 characters of letters, digits, ".", "_" or "-"`);
      return;
    }
    if (seen.has(id)) {
      problems.push(`${where}: key id "${id}" is duplicated`);
      return;
    }
    seen.add(id);
    if (!BASE64_PATTERN.test(encoded)) {
      problems.push(`${where} (key id "${id}"): key is not valid base64`);
      return;
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES) {
      problems.push(`${where} (key id "${id}"): key must decode to ${KEY_BYTES} bytes, got ${key.length}`);
      return;
    }
    entries.push({ id, key });
  });
  if (items.length === 0) problems.push('no keys given');
  const active = activeKeyId ?? entries[0]?.id;
  if (problems.length === 0 && active !== undefined && !seen.has(active)) {
    problems.push(`active key id ${quoteId(active)} is not among the keys (${[...seen].join(', ')})`);
  }
  if (problems.length > 0 || active === undefined) {
    throw new KeyringError(`${settingName} is invalid: ${problems.join('; ')}`);
  }
  return new Keyring(entries, active);
}

/**
 * The keyring of the embedded (local) setup: a key generated on first start and kept in
 * `<dataDir>/codec-keys` (mode 0600), so payloads written by earlier runs stay readable.
 */
export function loadOrCreateLocalKeyring(dataDir: string): Keyring {
  const file = path.join(dataDir, LOCAL_KEYRING_FILE);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const fresh = `local-${randomBytes(4).toString('hex')}:${randomBytes(KEY_BYTES).toString('base64')}\n`;
  try {
    // 'wx' fails if another process created the file first; then everyone reads the same key.
    fs.writeFileSync(file, fresh, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return parseKeyring(fs.readFileSync(file, 'utf8').replace(/\s*\n\s*/g, ','), undefined, file);
}

/** Configured keys when `CODEC_KEYS` is set, else the local generated key. */
export function keyringFromConfig(codec: { keys?: string; activeKeyId?: string }, dataDir: string): Keyring {
  if (codec.keys !== undefined) return parseKeyring(codec.keys, codec.activeKeyId);
  if (codec.activeKeyId !== undefined) throw new KeyringError('CODEC_ACTIVE_KEY_ID is set but CODEC_KEYS is not');
  return loadOrCreateLocalKeyring(dataDir);
}

/** Quotes a key id for a message; anything that is not a well-formed id might be a misplaced key. */
function quoteId(id: string): string {
  return KEY_ID_PATTERN.test(id) ? `"${id}"` : '(malformed id, not shown)';
}
