import { type FormEvent, useState } from 'react';
import { CAPACITY_UNITS, NETWORK_RESOURCE_TYPES } from '../../../../src/domain';
import { ApiError, type FieldIssue, type ResourceItem, type ResourceList } from '../../api';
import { Alert, ErrorAlert, Loading, PageTitle, useComuni } from '../../components/ui';
import { formatDateTime } from '../../format';
import { useLoad } from '../../hooks';
import { capacityUnitLabel, resourceTypeLabel } from '../../labels';
import { useSession } from '../../session';

/**
 * "Rete delle risorse": the network-resource directory with its live availability. Coordinators
 * and administrators add and edit resources; operators and coordinators update the free units
 * inline ("Posti liberi"). The server checks every field (422 named) and audits every change.
 */

const REFRESH_MS = 30_000;

type Draft = {
  id: string;
  type: string;
  name: string;
  comuneCode: string;
  ambitoId: string;
  address: string;
  confidential: boolean;
  capacity: string;
  capacityUnit: string;
  phone: string;
  email: string;
  hours: string;
  notes: string;
};

function draftOf(r: ResourceItem | undefined, ambitoId: string): Draft {
  return {
    id: r?.id ?? '',
    type: r?.type ?? 'emergency_bed',
    name: r?.name ?? '',
    comuneCode: r?.comuneCode ?? '',
    ambitoId: r?.ambitoId ?? ambitoId,
    address: r?.address ?? '',
    confidential: r?.confidential ?? false,
    capacity: r?.capacity === null || r?.capacity === undefined ? '' : String(r.capacity),
    capacityUnit: r?.capacityUnit ?? 'posti',
    phone: r?.contacts.phone ?? '',
    email: r?.contacts.email ?? '',
    hours: r?.contacts.hours ?? '',
    notes: r?.notes ?? '',
  };
}

function bodyOf(d: Draft, creating: boolean): Record<string, unknown> {
  const blank = (v: string) => (v.trim() === '' ? null : v);
  const capacity = d.capacity.trim() === '' ? null : Number(d.capacity);
  return {
    ...(creating && { id: d.id }),
    type: d.type,
    name: d.name,
    comuneCode: blank(d.comuneCode),
    ambitoId: d.ambitoId,
    address: blank(d.address),
    confidential: d.confidential,
    capacity,
    capacityUnit: capacity === null ? null : d.capacityUnit,
    contacts: { phone: d.phone, ...(d.email.trim() !== '' && { email: d.email }), ...(d.hours.trim() !== '' && { hours: d.hours }) },
    notes: blank(d.notes),
  };
}

function issueFor(issues: FieldIssue[], ...paths: string[]): string | undefined {
  return issues.find((i) => paths.includes(i.path))?.message;
}

function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => React.ReactNode }) {
  return (
    <div className="col-md-6 mb-3">
      <label htmlFor={id} className="form-label fw-semibold">{label}</label>
      {children({ id, 'aria-invalid': error !== undefined, ...(error !== undefined && { 'aria-describedby': `${id}-error` }) })}
      {error && <div id={`${id}-error`} className="invalid-feedback d-block">{error}</div>}
    </div>
  );
}

function ResourceForm({ resource, onDone, onCancel }: { resource?: ResourceItem; onDone: (r: ResourceItem, created: boolean) => void; onCancel: () => void }) {
  const { api } = useSession();
  const comuni = useComuni();
  const creating = resource === undefined;
  const [d, setD] = useState<Draft>(() => draftOf(resource, comuni[0]?.ambitoId ?? ''));
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((old) => ({ ...old, [k]: v }));
  const protectedPlace = d.confidential || d.type === 'women_shelter';

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setIssues([]);
    setError(undefined);
    try {
      const body = bodyOf(d, creating);
      const saved = creating
        ? (await api.post<ResourceItem>('/api/admin/resources', body)).data
        : await api.put<ResourceItem>(`/api/admin/resources/${encodeURIComponent(resource.id)}`, body);
      onDone(saved, creating);
    } catch (err) {
      if (err instanceof ApiError) {
        setIssues(err.issues);
        setError(err.status === 422 ? 'Dati non validi: correggere i campi indicati' : err.message);
      } else setError(String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card card-body shadow-sm mb-4" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="resource-form-title">
      <h2 id="resource-form-title" className="h5">{creating ? 'Nuova risorsa' : `Modifica: ${resource.name}`}</h2>
      {error && <Alert tone="danger" title={error}>{issues.map((i) => i.message).join('; ')}</Alert>}
      <div className="row">
        {creating && (
          <Field id="res-id" label="Identificativo *" error={issueFor(issues, 'id')}>
            {(p) => <input {...p} className="form-control" value={d.id} onChange={(e) => set('id', e.target.value)} placeholder="es. rhodense-dormitorio-2" />}
          </Field>
        )}
        <Field id="res-type" label="Tipo *" error={issueFor(issues, 'type')}>
          {(p) => (
            <select {...p} className="form-select" value={d.type} onChange={(e) => set('type', e.target.value)}>
              {NETWORK_RESOURCE_TYPES.map((t) => <option key={t} value={t}>{resourceTypeLabel(t)}</option>)}
            </select>
          )}
        </Field>
        <Field id="res-name" label="Nome *" error={issueFor(issues, 'name')}>
          {(p) => <input {...p} className="form-control" value={d.name} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field id="res-comune" label="Comune" error={issueFor(issues, 'comuneCode', 'ambitoId')}>
          {(p) => (
            <select {...p} className="form-select" value={d.comuneCode} onChange={(e) => { set('comuneCode', e.target.value); const c = comuni.find((x) => x.code === e.target.value); if (c?.ambitoId) set('ambitoId', c.ambitoId); }}>
              <option value="">Sovracomunale (tutto l’Ambito)</option>
              {comuni.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
            </select>
          )}
        </Field>
        <Field id="res-address" label={protectedPlace ? 'Indirizzo (non si registra: struttura protetta)' : 'Indirizzo'} error={issueFor(issues, 'address')}>
          {(p) => <input {...p} className="form-control" value={d.address} disabled={protectedPlace} onChange={(e) => set('address', e.target.value)} />}
        </Field>
        <div className="col-md-6 mb-3 form-check ps-4 pt-4">
          <input id="res-confidential" type="checkbox" className="form-check-input" checked={d.confidential} onChange={(e) => { set('confidential', e.target.checked); if (e.target.checked) set('address', ''); }} />
          <label htmlFor="res-confidential" className="form-check-label">Indirizzo riservato</label>
        </div>
        <Field id="res-capacity" label="Capacità (vuoto se non si conta)" error={issueFor(issues, 'capacity')}>
          {(p) => <input {...p} type="number" min={0} className="form-control" value={d.capacity} onChange={(e) => set('capacity', e.target.value)} />}
        </Field>
        <Field id="res-unit" label="Unità" error={issueFor(issues, 'capacityUnit')}>
          {(p) => (
            <select {...p} className="form-select" value={d.capacityUnit} onChange={(e) => set('capacityUnit', e.target.value)}>
              {CAPACITY_UNITS.map((u) => <option key={u} value={u}>{capacityUnitLabel(u)}</option>)}
            </select>
          )}
        </Field>
        <Field id="res-phone" label="Telefono *" error={issueFor(issues, 'contacts.phone')}>
          {(p) => <input {...p} type="tel" className="form-control" value={d.phone} onChange={(e) => set('phone', e.target.value)} />}
        </Field>
        <Field id="res-email" label="E-mail" error={issueFor(issues, 'contacts.email')}>
          {(p) => <input {...p} type="email" className="form-control" value={d.email} onChange={(e) => set('email', e.target.value)} />}
        </Field>
        <Field id="res-hours" label="Orari di accesso" error={issueFor(issues, 'contacts.hours')}>
          {(p) => <input {...p} className="form-control" value={d.hours} onChange={(e) => set('hours', e.target.value)} />}
        </Field>
        <Field id="res-notes" label="Note" error={issueFor(issues, 'notes')}>
          {(p) => <textarea {...p} className="form-control" rows={2} value={d.notes} onChange={(e) => set('notes', e.target.value)} />}
        </Field>
      </div>
      <div>
        <button type="submit" className="btn btn-primary me-2" disabled={busy}>{creating ? 'Aggiungi la risorsa' : 'Salva le modifiche'}</button>
        <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>Annulla</button>
      </div>
    </form>
  );
}

/** The inline count of free units: number input and "Aggiorna". */
function FreeUnits({ r, onSaved }: { r: ResourceItem; onSaved: (r: ResourceItem) => void }) {
  const { api } = useSession();
  const [value, setValue] = useState(String(r.available ?? ''));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (r.available === null || r.capacity === null) return <span className="text-muted">non contati</span>;

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const saved = await api.patch<ResourceItem>(`/api/resources/${encodeURIComponent(r.id)}/availability`, { available: Number(value) });
      onSaved(saved);
    } catch (err) {
      setError(err instanceof ApiError ? (err.issues[0]?.message ?? err.message) : String(err));
    } finally {
      setBusy(false);
    }
  }

  const id = `free-${r.id}`;
  return (
    <form className="d-flex flex-wrap align-items-center gap-1" onSubmit={(e) => void save(e)} noValidate>
      <label htmlFor={id} className="visually-hidden">Posti liberi: {r.name}</label>
      <input id={id} type="number" min={0} max={r.capacity} className="form-control form-control-sm" style={{ width: '5.5rem' }} value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={error !== undefined} />
      <span className="small">su {r.capacity}</span>
      <button type="submit" className="btn btn-sm btn-outline-primary" disabled={busy}>Aggiorna</button>
      {error && <span className="invalid-feedback d-block" role="alert">{error}</span>}
    </form>
  );
}

export function ResourcesPage() {
  const { api, session } = useSession();
  const role = session.user.role;
  const canAdmin = role === 'coordinator' || role === 'admin';
  const canCount = role === 'coordinator' || role === 'emergency_operator';
  const list = useLoad(() => api.get<ResourceList>(canAdmin ? '/api/admin/resources' : '/api/resources'), [api, canAdmin], REFRESH_MS);
  const [editing, setEditing] = useState<ResourceItem | 'new'>();
  const [message, setMessage] = useState<string>();
  const [actionError, setActionError] = useState<ApiError>();

  async function saved(text: string) {
    setEditing(undefined);
    setMessage(text);
    await list.reload();
  }

  async function toggle(r: ResourceItem) {
    setActionError(undefined);
    try {
      await api.post(`/api/admin/resources/${encodeURIComponent(r.id)}/${r.active ? 'deactivate' : 'activate'}`);
      await saved(r.active ? `Risorsa disattivata: ${r.name}` : `Risorsa riattivata: ${r.name}`);
    } catch (err) {
      setActionError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    }
  }

  const items = list.data?.items;
  return (
    <>
      <PageTitle>Rete delle risorse</PageTitle>
      <p className="text-muted">Strutture e servizi attivabili dal pronto intervento, con i posti liberi aggiornati dagli operatori. Gli indirizzi delle strutture protette non si registrano qui.</p>
      {message && <Alert tone="success" title={message} />}
      <ErrorAlert error={actionError} title="Operazione non riuscita" />
      {canAdmin && editing === undefined && (
        <button type="button" className="btn btn-primary mb-3" onClick={() => { setMessage(undefined); setEditing('new'); }}>
          Aggiungi una risorsa
        </button>
      )}
      {editing !== undefined && (
        <ResourceForm
          key={editing === 'new' ? 'new' : editing.id}
          resource={editing === 'new' ? undefined : editing}
          onCancel={() => setEditing(undefined)}
          onDone={(r, created) => void saved(created ? `Risorsa aggiunta: ${r.name}` : `Risorsa aggiornata: ${r.name}`)}
        />
      )}
      <ErrorAlert error={list.error} title="Elenco non disponibile" />
      {!items ? (
        !list.error && <Loading />
      ) : (
        <div className="table-responsive">
          <table className="table table-sm align-middle" data-testid="resources">
            <caption className="visually-hidden">Risorse della rete con posti liberi</caption>
            <thead>
              <tr>
                <th scope="col">Risorsa</th>
                <th scope="col">Contatti</th>
                <th scope="col">Posti liberi</th>
                <th scope="col">Ultimo aggiornamento</th>
                {canAdmin && <th scope="col">Azioni</th>}
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} data-resource={r.id} className={r.active ? undefined : 'text-muted'}>
                  <td>
                    <strong>{r.name}</strong>
                    <span className="d-block small">
                      {resourceTypeLabel(r.type)} · {r.comuneName ?? 'Sovracomunale'}
                      {r.capacity !== null && ` · capacità ${r.capacity} ${capacityUnitLabel(r.capacityUnit)}`}
                      {r.confidential && ' · indirizzo riservato'}
                      {!r.active && ' · disattivata'}
                    </span>
                    {r.address && <span className="d-block small">{r.address}</span>}
                  </td>
                  <td className="small">
                    {r.contacts.phone}
                    {r.contacts.hours && <span className="d-block">{r.contacts.hours}</span>}
                  </td>
                  <td data-testid="free-units">
                    {canCount && r.active ? <FreeUnits key={`${r.id}-${r.available ?? ''}`} r={r} onSaved={(x) => void saved(`Posti liberi aggiornati: ${x.name}, ${x.available ?? 0} su ${x.capacity ?? 0}`)} /> : r.available === null ? <span className="text-muted">non contati</span> : `${r.available} su ${r.capacity ?? 0}`}
                    {r.inUse > 0 && <span className="d-block small">{r.inUse} in uso per interventi</span>}
                  </td>
                  <td className="small">
                    {r.availability.updatedAt ? `${formatDateTime(r.availability.updatedAt)}, ${r.availability.updatedBy?.displayName ?? ''}` : '—'}
                    {r.availability.note && <span className="d-block">{r.availability.note}</span>}
                  </td>
                  {canAdmin && (
                    <td>
                      <button type="button" className="btn btn-sm btn-outline-primary me-1 mb-1" onClick={() => { setMessage(undefined); setEditing(r); }} aria-label={`Modifica ${r.name}`}>
                        Modifica
                      </button>
                      <button type="button" className="btn btn-sm btn-outline-danger mb-1" onClick={() => void toggle(r)} aria-label={`${r.active ? 'Disattiva' : 'Riattiva'} ${r.name}`}>
                        {r.active ? 'Disattiva' : 'Riattiva'}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
