import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './codec';
import type { Keyring } from './keyring';

/**
 * The data converter of every Temporal client and worker: default JSON payload conversion, then
 * AES-256-GCM encryption, so workflow inputs, results, signals, updates, queries and memos reach
 * the Temporal server only encrypted.
 */
export function createDataConverter(keyring: Keyring): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(keyring)] };
}
