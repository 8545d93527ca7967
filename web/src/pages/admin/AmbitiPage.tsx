import { useState } from 'react';
import { problemText, type AdminAmbito } from '../../api';
import { Alert, ErrorAlert, Loading, PageTitle } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useSession } from '../../session';

/** Ambiti and their Comuni: a new Ambito needs no code; a Comune is added by its ISTAT code (checked offline). */

export function AmbitiPage() {
  const { api } = useSession();
  const ambiti = useLoad(() => api.get<{ items: AdminAmbito[] }>('/api/admin/ambiti'), [api]);
  const [verdict, setVerdict] = useState<{ tone: 'success' | 'danger'; text: string }>();
  const [ambito, setAmbito] = useState({ id: '', name: '' });
  const [comune, setComune] = useState({ code: '', name: '', province: '', ambitoId: '' });

  async function run(what: string, action: () => Promise<unknown>) {
    setVerdict(undefined);
    try {
      await action();
      setVerdict({ tone: 'success', text: what });
      await ambiti.reload();
    } catch (err) {
      setVerdict({ tone: 'danger', text: problemText(err) });
    }
  }

  return (
    <>
      <PageTitle>Ambiti e Comuni</PageTitle>
      {verdict && <Alert tone={verdict.tone}>{verdict.text}</Alert>}
      <ErrorAlert error={ambiti.error} />
      {!ambiti.data ? <Loading /> : ambiti.data.items.map((a) => (
        <section key={a.id} className="card card-body shadow-sm mb-3" aria-label={a.name}>
          <h2 className="h5">{a.name} <span className="small text-muted">({a.id})</span></h2>
          <table className="table table-sm mb-0">
            <thead><tr><th scope="col">Codice ISTAT</th><th scope="col">Comune</th><th scope="col">Provincia</th></tr></thead>
            <tbody>
              {a.comuni.map((c) => (
                <tr key={c.code}><td>{c.code}</td><td>{c.name}</td><td>{c.province}</td></tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      <div className="row g-3">
        <section className="col-md-6" aria-labelledby="new-ambito">
          <div className="card card-body shadow-sm">
            <h2 id="new-ambito" className="h5">Nuovo Ambito</h2>
            <label htmlFor="ambito-id" className="active">Identificativo (es. legnanese)</label>
            <input id="ambito-id" className="form-control mb-2" value={ambito.id} onChange={(e) => setAmbito({ ...ambito, id: e.target.value })} />
            <label htmlFor="ambito-name" className="active">Nome</label>
            <input id="ambito-name" className="form-control mb-2" value={ambito.name} onChange={(e) => setAmbito({ ...ambito, name: e.target.value })} />
            <button type="button" className="btn btn-primary btn-sm" onClick={() => void run('Ambito creato.', () => api.post('/api/admin/ambiti', ambito))}>Crea l’Ambito</button>
          </div>
        </section>
        <section className="col-md-6" aria-labelledby="new-comune">
          <div className="card card-body shadow-sm">
            <h2 id="new-comune" className="h5">Aggiungi un Comune</h2>
            <label htmlFor="comune-code" className="active">Codice ISTAT (6 cifre)</label>
            <input id="comune-code" className="form-control mb-2" value={comune.code} onChange={(e) => setComune({ ...comune, code: e.target.value })} />
            <label htmlFor="comune-name" className="active">Nome</label>
            <input id="comune-name" className="form-control mb-2" value={comune.name} onChange={(e) => setComune({ ...comune, name: e.target.value })} />
            <label htmlFor="comune-province" className="active">Provincia (sigla)</label>
            <input id="comune-province" className="form-control mb-2" value={comune.province} onChange={(e) => setComune({ ...comune, province: e.target.value.toUpperCase() })} />
            <div className="select-wrapper mb-2">
              <label htmlFor="comune-ambito">Ambito</label>
              <select id="comune-ambito" value={comune.ambitoId} onChange={(e) => setComune({ ...comune, ambitoId: e.target.value })}>
                <option value="">Scegliere…</option>
                {(ambiti.data?.items ?? []).map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
              </select>
            </div>
            <button type="button" className="btn btn-primary btn-sm" onClick={() => void run('Comune aggiunto (orario predefinito: mattine dal lunedì al venerdì; modificarlo in Calendari degli uffici).', () => api.post('/api/admin/comuni', comune))}>Aggiungi il Comune</button>
          </div>
        </section>
      </div>
    </>
  );
}
