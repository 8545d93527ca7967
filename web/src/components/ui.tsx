import { createContext, type ReactNode, useContext, useEffect, useRef } from 'react';
import type { ApiError, Comune } from '../api';
import { dueText, urgencyOf } from '../format';
import { riskLabel } from '../labels';

/** Small shared pieces of the console, in Bootstrap Italia's markup. */

export type Tone = 'success' | 'danger' | 'warning' | 'info';

/**
 * A verdict or message; focused when it appears (not on later renders) so keyboard and
 * screen-reader users hear it. A new verdict is a new element.
 */
export function Alert({ tone, title, children, focus = true }: { tone: Tone; title?: string; children?: ReactNode; focus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
    // On mount only: a re-render must not pull the focus back.
  }, []);
  return (
    <div ref={ref} tabIndex={-1} className={`alert alert-${tone}`} role={tone === 'danger' || tone === 'warning' ? 'alert' : 'status'} data-testid={`alert-${tone}`}>
      {title && <strong className="d-block">{title}</strong>}
      {children}
    </div>
  );
}

export function ErrorAlert({ error, title = 'Errore' }: { error: ApiError | undefined; title?: string }) {
  if (!error) return null;
  return (
    <Alert tone="danger" title={title}>
      {error.message}
    </Alert>
  );
}

const RISK_CLASS: Record<string, string> = { low: 'bg-success', medium: 'bg-warning text-white', high: 'bg-danger', critical: 'bg-dark' };

export function RiskBadge({ level }: { level: string | null }) {
  return <span className={`badge ${level ? (RISK_CLASS[level] ?? 'bg-secondary') : 'bg-secondary'}`}>Rischio: {riskLabel(level)}</span>;
}

const DUE_CLASS = { overdue: 'bg-danger', soon: 'bg-warning text-white', ok: 'bg-success', none: 'bg-secondary' } as const;

/** Due time with its urgency in words (not only colour). */
export function DueBadge({ dueAt, now, active = true }: { dueAt: string | null; now: number; active?: boolean }) {
  if (!active) return null;
  const u = urgencyOf(dueAt, now);
  return (
    <span className={`badge ${DUE_CLASS[u]}`} data-urgency={u}>
      {u === 'overdue' ? '⚠ ' : ''}
      {dueText(dueAt, now)}
    </span>
  );
}

export function Loading() {
  return (
    <p role="status" aria-live="polite">
      Caricamento…
    </p>
  );
}

export function PageTitle({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="h3 mb-3 page-title">
      {children}
    </h1>
  );
}

const ComuniCtx = createContext<Comune[]>([]);
export const ComuniProvider = ComuniCtx.Provider;
export function useComuni(): Comune[] {
  return useContext(ComuniCtx);
}
/** "Rho" for "015182" (the code itself when unknown). */
export function ComuneName({ code }: { code: string | null | undefined }) {
  const comuni = useComuni();
  if (!code) return <>—</>;
  return <>{comuni.find((c) => c.code === code)?.name ?? code}</>;
}
