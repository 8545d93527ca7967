import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { Pool } from 'pg';
import { createDataConverter } from '../../../src/temporal/data-converter';
import { parseKeyring } from '../../../src/temporal/keyring';
import { type CaseView, caseWorkflowId, getCaseQuery } from '../../../src/workflows/definitions';
import type { Targets } from './stack';
import { sleep } from './processes';

/**
 * What actually happened, read from the source of truth and not from the API's answers: the case
 * row in PostgreSQL, the workflow (describe, and its getCase query, which the worker answers) in
 * Temporal, the read model. `undefined` means "cannot tell right now" (a service is down).
 */

export type Kind = 'create' | 'claim' | 'complete';

export interface EffectTarget {
  kind: Kind;
  reportNumber?: string;
  caseId?: string;
  taskId?: string;
  userId: string;
}

export interface ReadModelCase {
  revision: number;
  tasks: Array<{ id: string; status: string; assigneeId: string | null }>;
}

export class Effects {
  private pool: Pool;
  private connection: Connection;
  private client: Client;

  constructor(targets: Targets, codecKeys: string) {
    this.pool = new Pool({ connectionString: targets.databaseUrl, max: 4, connectionTimeoutMillis: 3_000, idleTimeoutMillis: 5_000 });
    // An idle client losing its server is expected here.
    this.pool.on('error', () => undefined);
    this.connection = Connection.lazy({ address: targets.temporalAddress, connectTimeout: 3_000 });
    this.client = new Client({ connection: this.connection, namespace: 'default', dataConverter: createDataConverter(parseKeyring(codecKeys)) });
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.pool.end(), this.connection.close()]);
  }

  async sql<T extends Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[] | undefined> {
    try {
      return (await this.pool.query<T>(text, values)).rows;
    } catch {
      return undefined;
    }
  }

  async caseIdForReport(reportNumber: string): Promise<string | null | undefined> {
    const rows = await this.sql<{ id: string }>('SELECT id FROM "Case" WHERE "reportNumber" = $1', [reportNumber]);
    return rows === undefined ? undefined : (rows[0]?.id ?? null);
  }

  async readModel(caseId: string): Promise<ReadModelCase | null | undefined> {
    const c = await this.sql<{ revision: number }>('SELECT revision FROM "Case" WHERE id = $1', [caseId]);
    const t = await this.sql<{ id: string; status: string; assigneeId: string | null }>('SELECT id, status, "assigneeId" FROM "Task" WHERE "caseId" = $1', [caseId]);
    if (c === undefined || t === undefined) return undefined;
    if (c.length === 0) return null;
    return { revision: Number(c[0]!.revision), tasks: t };
  }

  /** 'missing' when Temporal says there is no such workflow. */
  async describe(caseId: string): Promise<'running' | 'closed' | 'missing' | undefined> {
    try {
      const d = await this.connection.withDeadline(Date.now() + 8_000, () => this.client.workflow.getHandle(caseWorkflowId(caseId)).describe());
      return d.status.name === 'RUNNING' ? 'running' : 'closed';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'missing';
      return undefined;
    }
  }

  async view(caseId: string): Promise<CaseView | 'missing' | undefined> {
    try {
      return await this.connection.withDeadline(Date.now() + 8_000, () => this.client.workflow.getHandle(caseWorkflowId(caseId)).query(getCaseQuery));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'missing';
      return undefined;
    }
  }

  /** Whether the read model shows the task already claimed by this user (false when it cannot tell). */
  async claimedInReadModel(taskId: string, userId: string): Promise<boolean> {
    const rows = await this.sql<{ n: number }>('SELECT 1 AS n FROM "Task" WHERE id = $1 AND "assigneeId" = $2 AND status IN (\'claimed\', \'completed\')', [taskId, userId]);
    return rows !== undefined && rows.length > 0;
  }

  /** Whether the change this request asks for is there (true), not there (false), or unknown. */
  async present(t: EffectTarget): Promise<boolean | undefined> {
    if (t.kind === 'create') {
      const id = await this.caseIdForReport(t.reportNumber ?? '');
      return id === undefined ? undefined : id !== null;
    }
    const v = await this.view(t.caseId ?? '');
    if (v === undefined) return undefined;
    if (v === 'missing') return false;
    const task = v.tasks.find((x) => x.id === t.taskId);
    if (!task) return false;
    if (t.kind === 'complete') return task.status === 'completed';
    return (task.status === 'claimed' || task.status === 'completed') && task.assigneeId === t.userId;
  }

  /** `present`, retried until it can tell or `timeoutMs` passes. */
  async waitPresent(t: EffectTarget, timeoutMs: number): Promise<boolean | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = await this.present(t);
      if (p !== undefined || Date.now() > deadline) return p;
      await sleep(1_000);
    }
  }
}
