import fs from 'node:fs';
import { Client, Connection, type TLSConfig, type WorkflowClientInterceptor } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import type { AppConfig } from '../config';

/**
 * Connections to Temporal built from the validated config: plain TCP for the embedded dev server,
 * TLS (optionally mTLS, optionally an API key) for a remote cluster or Temporal Cloud.
 */
export type TemporalSettings = AppConfig['temporal'];

export interface ConnectTemporalOptions {
  dataConverter?: DataConverter;
  /** Overrides `config.address`, e.g. the address of an embedded dev server started at boot. */
  address?: string;
  /** Workflow client interceptors (tracing). */
  interceptors?: WorkflowClientInterceptor[];
}

export interface TemporalClientHandle {
  connection: Connection;
  client: Client;
}

export async function connectTemporal(
  config: TemporalSettings,
  opts: ConnectTemporalOptions = {},
): Promise<TemporalClientHandle> {
  const connection = await Connection.connect({
    address: targetAddress(config, opts.address),
    tls: tlsConfig(config),
    apiKey: config.apiKey,
  });
  const client = new Client({
    connection,
    namespace: config.namespace,
    dataConverter: opts.dataConverter,
    ...(opts.interceptors && { interceptors: { workflow: opts.interceptors } }),
  });
  return { connection, client };
}

/** The connection a Worker polls with (Rust core), configured the same way as the client's. */
export function connectNativeConnection(
  config: TemporalSettings,
  opts: { address?: string } = {},
): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: targetAddress(config, opts.address),
    tls: tlsConfig(config),
    apiKey: config.apiKey,
  });
}

function targetAddress(config: TemporalSettings, override: string | undefined): string {
  const address = override ?? config.address;
  if (!address) {
    throw new Error('No Temporal address: set TEMPORAL_ADDRESS or start the embedded dev server first');
  }
  return address;
}

/** `false` means plaintext; an API key without TLS settings still gets TLS (the config enables it). */
export function tlsConfig(config: TemporalSettings): TLSConfig | false {
  const tls = config.tls;
  if (!tls) return false;
  const result: TLSConfig = {};
  if (tls.serverName) result.serverNameOverride = tls.serverName;
  if (tls.caPath) result.serverRootCACertificate = readSetting(tls.caPath, 'TEMPORAL_TLS_CA_PATH');
  if (tls.certPath && tls.keyPath) {
    result.clientCertPair = {
      crt: readSetting(tls.certPath, 'TEMPORAL_TLS_CERT_PATH'),
      key: readSetting(tls.keyPath, 'TEMPORAL_TLS_KEY_PATH'),
    };
  }
  return result;
}

function readSetting(file: string, setting: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    // Name the setting and the path, never the content.
    throw new Error(`${setting}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: err,
    });
  }
}
