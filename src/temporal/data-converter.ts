import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './codec';
import type { Keyring } from './keyring';

/**
 * The data converter of every Temporal client and worker: default JSON payload conversion, then
 * AES-256-GCM encryption, so workflow inputs, results, signals, updates, queries, memos and
 * failure messages reach the Temporal server only encrypted.
 */
export function createDataConverter(keyring: Keyring): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(keyring)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/** Also given to `bundleWorkflowCode`: the workflow sandbox must encode failures the same way. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');
