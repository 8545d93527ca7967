import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, ApiError, type Session } from '../src/api';
import { TaskPage } from '../src/pages/TaskPage';
import { SessionProvider } from '../src/session';
import { apiFormSchema } from './schemas';

/**
 * Actions from the console: one Idempotency-Key per user action, reused on the console's own
 * retries; a 202 shows "Registrato, in attesa di conferma" and is polled to its outcome.
 * `fetch` is the server's side of the wire, scripted per test.
 */

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const session: Session = { token: 't', expiresAt: '2999-01-01T00:00:00Z', user: { id: 'u-op1', displayName: 'Operatore', role: 'emergency_operator', comuneCode: null } };
const caseId = '11111111-2222-4333-8444-555555555555';
const taskId = `${caseId}-t1`;
const json = (status: number, body: unknown, type = 'application/json') => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
const pending = { status: 'pending', requestId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', pollUrl: '/api/requests/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' };
const finalState = {
  caseId,
  reference: 'PIS-2026-000001',
  status: 'active',
  step: 'risk_check',
  riskLevel: null,
  closure: null,
  tasks: [],
  nextTasks: [{ id: `${caseId}-t2`, type: 'risk_check', label: 'Valutazione del rischio', status: 'claimed', candidateRole: 'emergency_operator', assigneeId: 'u-op1' }],
};
const task = {
  id: taskId,
  caseId,
  type: 'take_charge',
  label: 'Presa in carico',
  status: 'claimed',
  candidateRole: 'emergency_operator',
  comuneCode: null,
  assigneeId: 'u-op1',
  createdAt: '2026-11-15T22:10:00Z',
  claimedAt: '2026-11-15T22:11:00Z',
  dueAt: null,
  completedAt: null,
  overdue: false,
  escalatedAt: null,
  case: { reference: 'PIS-2026-000001', status: 'active', step: 'take_charge', riskLevel: null, eventComuneCode: '015182', competentComuneCode: null },
  formSchema: apiFormSchema('take_charge'),
  submission: null,
};

type Call = { method: string; url: string; key: string | null };

function fakeServer(script: (call: Call, n: number) => Response | Promise<Response>) {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init: RequestInit = {}) => {
      const headers = (init.headers ?? {}) as Record<string, string>;
      const call = { method: init.method ?? 'GET', url, key: headers['Idempotency-Key'] ?? null };
      calls.push(call);
      return Promise.resolve(script(call, calls.length));
    }),
  );
  return calls;
}

describe('act()', () => {
  it('retries a network failure with the same key, polls a 202 and returns the final answer', async () => {
    let polls = 0;
    const calls = fakeServer((call, n) => {
      if (call.method === 'POST' && n === 1) throw new TypeError('network down');
      if (call.method === 'POST') return json(202, pending);
      polls += 1;
      return polls < 2 ? json(202, pending) : json(200, finalState);
    });
    const onPending = vi.fn();
    const result = await act<typeof finalState>('t', `/api/tasks/${taskId}/complete`, { form: { etaMinutes: 20 } }, { onPending, retryDelayMs: 1, pollIntervalMs: 1 });
    expect(result).toEqual(finalState);
    expect(onPending).toHaveBeenCalledTimes(1);
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[0]?.key).toMatch(/^pis-[0-9a-f-]{36}$/);
    expect(posts[1]?.key).toBe(posts[0]?.key);
    expect(calls.filter((c) => c.method === 'GET').map((c) => c.url)).toEqual([pending.pollUrl, pending.pollUrl]);
  });

  it('throws the final failure of a pending action as the direct answer would', async () => {
    fakeServer((call) =>
      call.method === 'POST'
        ? json(202, pending)
        : json(409, { type: 'about:blank', title: 'Task Not Open', status: 409, detail: 'Attività non aperta', code: 'TASK_NOT_OPEN' }, 'application/problem+json'),
    );
    const error = await act('t', `/api/tasks/${taskId}/claim`, undefined, { pollIntervalMs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'TASK_NOT_OPEN' });
  });

  it('uses a new key for each user action', async () => {
    const calls = fakeServer(() => json(200, finalState));
    await act('t', `/api/tasks/${taskId}/claim`, undefined);
    await act('t', `/api/tasks/${taskId}/claim`, undefined);
    expect(calls[0]?.key).not.toBe(calls[1]?.key);
  });
});

describe('TaskPage completing a task while the workflow is slow', () => {
  it('shows "Registrato, in attesa di conferma", then the normal outcome', async () => {
    let release: (() => void) | undefined;
    const confirmed = new Promise<void>((resolve) => (release = resolve));
    const calls = fakeServer(async (call) => {
      if (call.method === 'GET' && call.url.startsWith('/api/tasks/')) return json(200, task);
      if (call.method === 'POST') return json(202, pending);
      await confirmed;
      return json(200, finalState);
    });
    render(
      <SessionProvider session={session} onLogout={() => undefined}>
        <TaskPage id={taskId} />
      </SessionProvider>,
    );
    fireEvent.change(await screen.findByLabelText(/Tempo stimato di arrivo/), { target: { value: '20' } });
    await userEvent.click(screen.getByRole('button', { name: 'Completa l’attività' }));
    expect(await screen.findByText('Registrato, in attesa di conferma')).toBeTruthy();
    expect(screen.queryByText(/Modulo accettato/)).toBeNull();
    release?.();
    expect(await screen.findByText(/Modulo accettato/, undefined, { timeout: 10_000 })).toBeTruthy();
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.url).toBe(`/api/tasks/${encodeURIComponent(taskId)}/complete`);
    expect(post?.key).toMatch(/^pis-/);
  }, 20_000);
});
