import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Keyring } from './keyring';

/**
 * AES-256-GCM payload codec: every payload that goes to Temporal is replaced by one whose data is
 * the encrypted, serialised original payload (metadata included, so not even the encoding or
 * message type is visible on the server).
 *
 * Encrypted data layout: 12-byte IV | ciphertext | 16-byte GCM tag. The key id and encoding are
 * bound as additional authenticated data, so relabelling a payload with another key id fails
 * authentication like any other tampering.
 *
 * Runs in client, worker and codec endpoint (Node), never inside the workflow sandbox.
 */

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_ENCODING = 'encoding';
export const METADATA_KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CIPHER = 'aes-256-gcm';
const ProtoPayload = temporal.api.common.v1.Payload;

export type PayloadCodecErrorReason = 'unknown-key' | 'tampered' | 'malformed';

/** A payload that cannot be decrypted. The message names the key id, never key material or data. */
export class PayloadCodecError extends Error {
  constructor(
    readonly reason: PayloadCodecErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'PayloadCodecError';
  }
}

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring) {}

  // The work is synchronous; the executor turns a thrown error into a rejection.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((payload) => this.encryptOne(payload))));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((payload) => this.decryptOne(payload))));
  }

  private encryptOne(payload: Payload): Payload {
    const { id, key } = this.keyring.encryptionKey();
    const plaintext = ProtoPayload.encode(payload).finish();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(id));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      metadata: {
        [METADATA_ENCODING]: Buffer.from(ENCRYPTED_ENCODING),
        [METADATA_KEY_ID]: Buffer.from(id),
      },
      data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
    };
  }

  private decryptOne(payload: Payload): Payload {
    if (metadataString(payload, METADATA_ENCODING) !== ENCRYPTED_ENCODING) return payload;
    const keyId = metadataString(payload, METADATA_KEY_ID);
    if (keyId === undefined || keyId === '') {
      throw new PayloadCodecError('malformed', `Encrypted payload has no ${METADATA_KEY_ID} metadata`);
    }
    const key = this.keyring.decryptionKey(keyId);
    if (key === undefined) {
      throw new PayloadCodecError('unknown-key', `Encrypted payload uses key id "${describeKeyId(keyId)}", which is not in the keyring`);
    }
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadCodecError('malformed', `Encrypted payload (key id "${keyId}") is too short to be valid`);
    }
    const iv = data.subarray(0, IV_BYTES);
    const tag = data.subarray(data.length - TAG_BYTES);
    const ciphertext = data.subarray(IV_BYTES, data.length - TAG_BYTES);
    let plaintext: Buffer;
    try {
      const decipher = createDecipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData(keyId));
      decipher.setAuthTag(tag);
      plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      throw new PayloadCodecError('tampered', `Encrypted payload (key id "${keyId}") failed authentication: it was altered or corrupted`);
    }
    try {
      return ProtoPayload.decode(plaintext);
    } catch {
      throw new PayloadCodecError('malformed', `Encrypted payload (key id "${keyId}") does not contain a valid payload`);
    }
  }
}

function additionalData(keyId: string): Buffer {
  return Buffer.from(`${ENCRYPTED_ENCODING}|${keyId}`);
}

function metadataString(payload: Payload, name: string): string | undefined {
  const value = payload.metadata?.[name];
  return value === undefined || value === null ? undefined : Buffer.from(value).toString('utf8');
}

/** Key ids come from untrusted payloads: print only plain, short ones. */
function describeKeyId(keyId: string): string {
  return /^[A-Za-z0-9._-]{1,64}$/.test(keyId) ? keyId : '(malformed key id)';
}
