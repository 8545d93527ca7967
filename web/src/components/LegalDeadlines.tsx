import { type FormEvent, useState } from 'react';
import type { CaseMilestones, EvidenceField, MilestoneItem } from '../../../src/contract/milestones';
import { ApiError, apiFetch } from '../api';
import { formatDateTime, fromLocalInput, toLocalInput } from '../format';
import { useLoad } from '../hooks';
import { EVIDENCE_FIELD_LABELS, MILESTONE_ACTOR_LABELS, MILESTONE_STATE_LABELS } from '../labels';
import { useSession } from '../session';
import { ErrorAlert, Loading } from './ui';

/** Italian badge of a milestone's state: missed in red, due soon highlighted, in words too. */
export function MilestoneStateBadge({ m }: { m: Pick<MilestoneItem, 'state' | 'dueSoon'> }) {
  if (m.state === 'missed') return <span className="badge bg-danger" data-state="missed">⚠ {MILESTONE_STATE_LABELS.missed}</span>;
  if (m.state === 'due' && m.dueSoon) return <span className="badge bg-warning text-dark" data-state="due-soon">{MILESTONE_STATE_LABELS.due} a breve</span>;
  if (m.state === 'due') return <span className="badge bg-primary" data-state="due">{MILESTONE_STATE_LABELS.due}</span>;
  if (m.state === 'met') return <span className="badge bg-success" data-state="met">{MILESTONE_STATE_LABELS.met}</span>;
  return <span className="badge bg-secondary" data-state={m.state}>{MILESTONE_STATE_LABELS[m.state] ?? m.state}</span>;
}

const DATE_FIELDS: EvidenceField[] = ['sentAt', 'decreeDate', 'hearingDate'];
const CHANNELS: Array<[string, string]> = [['pec', 'PEC'], ['email', 'E-mail'], ['fax', 'Fax'], ['phone', 'Telefono'], ['hand', 'A mano']];
const RECIPIENT_LABELS: Record<string, string> = {
  procura_minorenni: 'Procura per i minorenni',
  tribunale_minorenni: 'Tribunale per i minorenni',
  ministero_lavoro: 'Ministero del Lavoro – SIM',
  comune: 'Comune',
};

/** "Scadenze legali" on the case page: each term with its source, evidence entry, official PDFs. */
export function LegalDeadlines({ caseId }: { caseId: string }) {
  const { api, session } = useSession();
  const list = useLoad(() => api.get<CaseMilestones>(`/api/cases/${encodeURIComponent(caseId)}/milestones`), [api, caseId], 15_000);
  const [docError, setDocError] = useState<string>();

  async function openDocument(kind: string, recipient: string) {
    setDocError(undefined);
    try {
      const query = kind === 'msna_notice' ? `?recipient=${recipient}` : '';
      const res = await fetch(`/api/cases/${encodeURIComponent(caseId)}/documents/${kind}${query}`, { headers: { Authorization: `Bearer ${session.token}` } });
      if (!res.ok) throw new ApiError(res.status, ((await res.json().catch(() => ({}))) as { detail?: string }).detail ?? 'Documento non disponibile');
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `${kind}.pdf`;
      a.click();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      setDocError(err instanceof ApiError ? err.message : String(err));
    }
  }

  if (!list.data) return list.error?.status === 403 ? null : <section className="card card-body shadow-sm mb-3"><ErrorAlert error={list.error} />{!list.error && <Loading />}</section>;
  const { items, documents } = list.data;
  return (
    <section className="card card-body shadow-sm mb-3" aria-labelledby="legal-deadlines-title" data-testid="legal-deadlines">
      <h2 id="legal-deadlines-title" className="h5">Scadenze legali</h2>
      <ErrorAlert error={list.error} title="Aggiornamento non riuscito" />
      {items.length === 0 ? <p className="text-muted mb-0">Nessun termine di legge aperto per questo caso.</p> : (
        <ul className="list-unstyled mb-0">
          {items.map((m) => (
            <li key={m.id} className={`mb-3 p-2 rounded ${m.state === 'missed' ? 'border border-danger' : m.dueSoon ? 'border border-warning' : 'border'}`} data-testid="legal-deadline" data-kind={m.kind}>
              <div className="d-flex flex-wrap justify-content-between gap-1">
                <strong>{m.label}</strong>
                <MilestoneStateBadge m={m} />
              </div>
              <span className="d-block small text-muted">{m.legalSource} · a cura di: {MILESTONE_ACTOR_LABELS[m.actor]}</span>
              <span className="d-block small">
                Termine: {formatDateTime(m.dueAt)} {m.triggerEstimated && <em>(stimato: il passo precedente non ha ancora un’evidenza)</em>}
              </span>
              <Evidence m={m} />
              {m.canEnterEvidence && <EvidenceForm caseId={caseId} m={m} onSaved={list.reload} />}
            </li>
          ))}
        </ul>
      )}
      {documents.length > 0 && (
        <div className="mt-2">
          <h3 className="h6">Documenti ufficiali (PDF)</h3>
          {docError && <div className="alert alert-danger py-1 small" role="alert">{docError}</div>}
          <div className="d-flex flex-wrap gap-2">
            {documents.flatMap((d) =>
              d.recipients.map((r) => (
                <button key={`${d.kind}-${r}`} type="button" className="btn btn-outline-primary btn-sm" onClick={() => void openDocument(d.kind, r)}>
                  {d.label}{d.recipients.length > 1 ? ` – ${RECIPIENT_LABELS[r] ?? r}` : ''}
                </button>
              )),
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function Evidence({ m }: { m: MilestoneItem }) {
  const e = m.evidence;
  const parts = [
    e.sentAt && `inviata il ${formatDateTime(e.sentAt)}`,
    e.channel && `canale ${e.channel}`,
    e.pecProtocol && `prot. ${e.pecProtocol}`,
    e.decreeDate && `provvedimento del ${formatDateTime(e.decreeDate)}`,
    e.hearingDate && `udienza/colloquio del ${formatDateTime(e.hearingDate)}`,
    e.note,
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return (
    <span className="d-block small">
      Evidenza: {parts.join(' · ')}
      {e.byId && <> (registrata da {e.byId}{e.at ? ` il ${formatDateTime(e.at)}` : ''})</>}
    </span>
  );
}

function EvidenceForm({ caseId, m, onSaved }: { caseId: string; m: MilestoneItem; onSaved: () => Promise<void> }) {
  const { session } = useSession();
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const fields: EvidenceField[] = [...new Set<EvidenceField>([...m.requiredEvidence, ...(m.requiredEvidence.includes('channel') ? (['pecProtocol'] as EvidenceField[]) : []), 'note'])];
  const idOf = (f: string) => `ev-${m.kind}-${f}`;

  async function save(e: FormEvent) {
    e.preventDefault();
    const body: Record<string, string> = {};
    for (const f of fields) {
      const v = values[f]?.trim();
      if (!v) continue;
      body[f] = DATE_FIELDS.includes(f) ? (fromLocalInput(v) ?? v) : v;
    }
    try {
      await apiFetch(session.token, 'POST', `/api/cases/${encodeURIComponent(caseId)}/milestones/${encodeURIComponent(m.id)}/evidence`, body);
      setIssues({});
      setError(undefined);
      setOpen(false);
      await onSaved();
    } catch (err) {
      if (err instanceof ApiError) {
        setIssues(Object.fromEntries(err.issues.map((i) => [i.path, i.message])));
        setError(err.message);
      } else setError(String(err));
    }
  }

  if (!open) {
    return (
      <button type="button" className="btn btn-link btn-sm px-0" onClick={() => { setValues({ ...(m.requiredEvidence.some((f) => DATE_FIELDS.includes(f)) ? { [m.requiredEvidence.find((f) => DATE_FIELDS.includes(f)) as string]: toLocalInput(new Date()) } : {}) }); setOpen(true); }}>
        Registra l’evidenza
      </button>
    );
  }
  return (
    <form className="mt-2" onSubmit={(e) => void save(e)} noValidate aria-label={`Evidenza: ${m.label}`}>
      {error && <div className="alert alert-danger py-1 small" role="alert">{error}</div>}
      {fields.map((f) => (
        <div key={f} className="mb-2">
          <label htmlFor={idOf(f)} className="form-label small mb-0">{EVIDENCE_FIELD_LABELS[f]}{m.requiredEvidence.includes(f) ? ' *' : ''}</label>
          {f === 'channel' ? (
            <select id={idOf(f)} className={`form-select form-select-sm ${issues[f] ? 'is-invalid' : ''}`} value={values[f] ?? ''} onChange={(e) => setValues({ ...values, [f]: e.target.value })}>
              <option value="">—</option>
              {CHANNELS.map(([v, t]) => <option key={v} value={v}>{t}</option>)}
            </select>
          ) : (
            <input
              id={idOf(f)}
              type={DATE_FIELDS.includes(f) ? 'datetime-local' : 'text'}
              className={`form-control form-control-sm ${issues[f] ? 'is-invalid' : ''}`}
              value={values[f] ?? ''}
              onChange={(e) => setValues({ ...values, [f]: e.target.value })}
              aria-describedby={issues[f] ? `${idOf(f)}-error` : undefined}
            />
          )}
          {issues[f] && <div id={`${idOf(f)}-error`} className="invalid-feedback d-block">{issues[f]}</div>}
        </div>
      ))}
      <button type="submit" className="btn btn-primary btn-sm">Salva evidenza</button>
      <button type="button" className="btn btn-link btn-sm" onClick={() => setOpen(false)}>Annulla</button>
    </form>
  );
}
