import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces are moved into an encoded payload, so the payload codec
 * encrypts them like any other data: an error quoting a value never reaches Temporal in clear text.
 * Loaded by path in the workflow sandbox and by clients and workers (no Node imports here).
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
