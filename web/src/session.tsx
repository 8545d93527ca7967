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

/**
 * Back from single sign-on the API puts the session in the URL fragment (`#sso=<base64url JSON>`):
 * it is taken once, kept like a password login's, and removed from the address bar and history.
 */
export function takeSsoSession(): Session | null {
  const m = /^#sso=([A-Za-z0-9_-]+)$/.exec(window.location.hash);
  if (!m) return null;
  window.history.replaceState(null, '', `${window.location.pathname}#/`);
  try {
    const b64 = m[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    const s = JSON.parse(json) as Session;
    if (typeof s.token !== 'string' || typeof s.expiresAt !== 'string' || typeof s.user?.role !== 'string') return null;
    saveSession(s);
    return s;
  } catch {
    return null;
  }
}

export function loadSession(): Session | null {
  const sso = takeSsoSession();
  if (sso) return sso;
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
