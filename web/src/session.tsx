import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Api, client, type Session, setUnauthorizedHandler } from './api';

/** The logged-in user and their API client; kept for the browser tab only (sessionStorage). */

const KEY = 'pis.session';

interface SessionContext {
  session: Session;
  api: Api;
  logout: () => void;
}

const Ctx = createContext<SessionContext | null>(null);

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return Date.parse(s.expiresAt) > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

export function useSessionState() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const update = useCallback((s: Session | null) => {
    saveSession(s);
    setSession(s);
  }, []);
  useEffect(() => setUnauthorizedHandler(() => update(null)), [update]);
  return [session, update] as const;
}

export function SessionProvider({ session, onLogout, children }: { session: Session; onLogout: () => void; children: ReactNode }) {
  const value = useMemo(() => ({ session, api: client(session.token), logout: onLogout }), [session, onLogout]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}
