import type { WorkflowHandle } from '@temporalio/client';
import { type Actor, type CaseView, claimTaskUpdate, completeTaskUpdate, getCaseQuery } from '../../src/workflows/definitions';
import type { HumanTask } from '../../src/workflows/model';

/** A running case as a console sees it: its state, its open tasks, claim and complete. */
export interface CaseHandle {
  caseId: string;
  workflowId: string;
  firstRunId: string;
  handle: WorkflowHandle;
  view(): Promise<CaseView>;
  task(type: string): Promise<HumanTask>;
  claim(type: string, actor: Actor): Promise<CaseView>;
  complete(type: string, actor: Actor, form: Record<string, unknown>): Promise<CaseView>;
  /** Claim (if needed) and complete the open task of this type. */
  run(type: string, actor: Actor, form: Record<string, unknown>): Promise<CaseView>;
  result(): Promise<CaseView>;
}

function findActive(v: CaseView, type: string): HumanTask | undefined {
  return [...v.tasks].reverse().find((x) => x.type === type && (x.status === 'open' || x.status === 'claimed'));
}

export async function caseHandle(caseId: string, handle: WorkflowHandle): Promise<CaseHandle> {
  const view = () => handle.query(getCaseQuery);
  const task = async (type: string) => {
    // The workflow reaches a step asynchronously: poll its state as a console would.
    let v = await view();
    let t = findActive(v, type);
    for (let i = 0; !t && i < 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      v = await view();
      t = findActive(v, type);
    }
    if (!t) throw new Error(`no open task ${type}; open: ${v.tasks.filter((x) => x.status === 'open' || x.status === 'claimed').map((x) => x.type).join(', ')}; step ${v.step}, status ${v.status}`);
    return t;
  };
  return {
    caseId,
    workflowId: handle.workflowId,
    firstRunId: (await handle.describe()).runId,
    handle,
    view,
    task,
    claim: async (type, actor) => handle.executeUpdate(claimTaskUpdate, { args: [{ taskId: (await task(type)).id, actor }] }),
    complete: async (type, actor, form) => handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: (await task(type)).id, actor, form }] }),
    run: async (type, actor, form) => {
      const t = await task(type);
      if (t.status === 'open') await handle.executeUpdate(claimTaskUpdate, { args: [{ taskId: t.id, actor }] });
      return handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: t.id, actor, form }] });
    },
    result: () => handle.result() as Promise<CaseView>,
  };
}

/** Polls the case state until `pred` holds (the workflow moves on asynchronously after a call). */
export async function until(c: Pick<CaseHandle, 'view'>, pred: (v: CaseView) => boolean, what = 'condition'): Promise<CaseView> {
  for (let i = 0; i < 200; i++) {
    const v = await c.view();
    if (pred(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  const v = await c.view();
  throw new Error(`timed out waiting for ${what}: status ${v.status}, step ${v.step}`);
}

/** Asserts that an update was rejected with the given error type (from the validator or handler). */
export async function expectRejected(p: Promise<unknown>, type: string): Promise<unknown> {
  let caught: unknown;
  try {
    await p;
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeDefined();
  const cause = (caught as { cause?: { type?: string } }).cause;
  expect(cause?.type).toBe(type);
  return cause;
}
