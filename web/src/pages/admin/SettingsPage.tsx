import { useState } from 'react';
import { problemText, type AdminAmbito, type ProtocolSettingsAnswer } from '../../api';
import { Alert, ErrorAlert, Loading, PageTitle } from '../../components/ui';
import { formatDateTime } from '../../format';
import { useLoad } from '../../hooks';
import { useSession } from '../../session';

/** Protocol timings per Ambito, as versions with an effective date; open cases keep the settings they started with. */

export function SettingsPage() {
  const { api } = useSession();
  const ambiti = useLoad(() => api.get<{ items: AdminAmbito[] }>('/api/admin/ambiti'), [api]);
  const [ambitoId, setAmbitoId] = useState('');
  const selected = ambitoId || ambiti.data?.items[0]?.id || '';
  return (
    <>
      <PageTitle>Impostazioni del protocollo</PageTitle>
      <ErrorAlert error={ambiti.error} />
      {!ambiti.data ? <Loading /> : (
        <>
          <div className="select-wrapper mb-3" style={{ maxWidth: 360 }}>
            <label htmlFor="settings-ambito">Ambito</label>
            <select id="settings-ambito" value={selected} onChange={(e) => setAmbitoId(e.target.value)}>
              {ambiti.data.items.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
            </select>
          </div>
          {selected && <AmbitoSettings ambitoId={selected} key={selected} />}
        </>
      )}
    </>
  );
}

function AmbitoSettings({ ambitoId }: { ambitoId: string }) {
  const { api } = useSession();
  const loaded = useLoad(() => api.get<ProtocolSettingsAnswer>(`/api/admin/ambiti/${ambitoId}/settings`), [api, ambitoId]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [verdict, setVerdict] = useState<{ tone: 'success' | 'danger'; text: string }>();
  if (loaded.error) return <ErrorAlert error={loaded.error} />;
  const data = loaded.data;
  if (!data) return <Loading />;

  async function save() {
    if (!data) return;
    setVerdict(undefined);
    const overrides = Object.fromEntries(
      data.settings
        .map((s) => [s.key, values[s.key] ?? String(data.effective[s.key] ?? s.default)] as const)
        .filter(([key, v]) => Number(v) !== data.settings.find((s) => s.key === key)?.default)
        .map(([key, v]) => [key, Number(v)]),
    );
    try {
      await api.put(`/api/admin/ambiti/${ambitoId}/settings`, { values: overrides, ...(effectiveFrom && { effectiveFrom: new Date(effectiveFrom).toISOString() }) });
      setVerdict({ tone: 'success', text: 'Nuova versione delle impostazioni registrata: vale per i casi aperti da quel momento.' });
      setValues({});
      await loaded.reload();
    } catch (err) {
      setVerdict({ tone: 'danger', text: problemText(err) });
    }
  }

  return (
    <>
      {verdict && <Alert tone={verdict.tone}>{verdict.text}</Alert>}
      <section className="card card-body shadow-sm mb-3" aria-labelledby="settings-title">
        <h2 id="settings-title" className="h5">Tempi in vigore</h2>
        <table className="table table-sm">
          <thead><tr><th scope="col">Impostazione</th><th scope="col">Predefinito</th><th scope="col">Valore</th></tr></thead>
          <tbody>
            {data.settings.map((s) => (
              <tr key={s.key}>
                <td><label htmlFor={`setting-${s.key}`}>{s.label}</label></td>
                <td>{s.default}</td>
                <td><input id={`setting-${s.key}`} type="number" min={s.min} max={s.max} className="form-control form-control-sm" value={values[s.key] ?? String(data.effective[s.key] ?? s.default)} onChange={(e) => setValues({ ...values, [s.key]: e.target.value })} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        <label htmlFor="settings-from" className="active">In vigore dal (vuoto: subito)</label>
        <input id="settings-from" type="datetime-local" className="form-control mb-2" style={{ maxWidth: 280 }} value={effectiveFrom} onChange={(e) => setEffectiveFrom(e.target.value)} />
        <button type="button" className="btn btn-primary btn-sm" onClick={() => void save()}>Registra la nuova versione</button>
      </section>
      <section className="card card-body shadow-sm" aria-labelledby="versions-title">
        <h2 id="versions-title" className="h5">Versioni</h2>
        {data.versions.length === 0 ? <p className="text-muted mb-0">Nessuna versione: valgono i tempi predefiniti.</p> : (
          <ul className="mb-0">
            {data.versions.map((v) => (
              <li key={v.effectiveFrom}>dal {formatDateTime(v.effectiveFrom)} ({v.changedBy}): {Object.entries(v.values).map(([k, n]) => `${k} = ${n}`).join(', ') || 'tempi predefiniti'}</li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
