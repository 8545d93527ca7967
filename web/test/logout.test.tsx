import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../src/api';
import { App } from '../src/App';
import { saveSession } from '../src/session';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

const session: Session = { token: 'the-token', expiresAt: '2999-01-01T00:00:00Z', user: { id: 'u-op1', displayName: 'Operatore PIS 1', role: 'emergency_operator', comuneCode: null } };

describe('Esci', () => {
  it('ends the session on the server (POST /api/auth/logout with the token) and shows the login again', async () => {
    const calls: Array<{ url: string; method: string; auth: string | null }> = [];
    vi.stubGlobal(
      'fetch',
      vi.fn((url: string, init?: RequestInit) => {
        calls.push({ url, method: init?.method ?? 'GET', auth: new Headers(init?.headers).get('Authorization') });
        const body = url === '/api/auth/logout' ? null : JSON.stringify({ items: [], total: 0 });
        return Promise.resolve(new Response(body, { status: url === '/api/auth/logout' ? 204 : 200, headers: { 'Content-Type': 'application/json' } }));
      }),
    );
    saveSession(session);
    render(<App />);
    await userEvent.click(await screen.findByRole('button', { name: 'Esci' }));
    expect(calls).toContainEqual({ url: '/api/auth/logout', method: 'POST', auth: 'Bearer the-token' });
    expect(sessionStorage.getItem('pis.session')).toBeNull();
    expect(await screen.findByLabelText(/nome utente/i)).toBeTruthy();
  });
});
