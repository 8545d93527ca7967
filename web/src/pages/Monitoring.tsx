import { useState } from 'react';
import {
  MONITORING_DIMENSIONS,
  MONITORING_DIMENSION_LABELS,
  RESPONSE_TIMES,
  RESPONSE_TIME_LABELS,
  type MonitoringCount,
  type MonitoringDimension,
  type MonitoringReport,
} from '../../../src/contract/reports';
import { ApiError } from '../api';
import { ErrorAlert, Loading, PageTitle, useComuni } from '../components/ui';
import { useLoad } from '../hooks';
import { useSession } from '../session';

/**
 * Monitoraggio: the figures funders and planners ask for (cases by month, target group, Comune,
 * reporting force, outcome; response times; SLA breaches; legal milestones; resources), as the
 * API publishes them: "<3" for 1–2 cases, "n.d." where a figure would let a "<3" be recomputed.
 */

function monthOffset(months: number): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 7);
}

function formatMinutes(m: number | null): string {
  if (m === null) return '<3';
  if (m < 120) return `${m} min`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h} h ${m % 60} min` : `${Math.round(h / 24)} g`;
}

const countText = (v: MonitoringCount | undefined) => (v === undefined ? '—' : String(v));

/** Bars drawn inline (no chart library); hidden figures are written out instead of drawn. */
function Bars({ title, data, unit }: { title: string; data: Array<{ label: string; value: number | string }>; unit?: (v: number) => string }) {
  const numbers = data.map((d) => (typeof d.value === 'number' ? d.value : 0));
  const max = Math.max(1, ...numbers);
  const row = 26;
  const labelW = 230;
  const width = 640;
  const height = Math.max(row, data.length * row) + 8;
  const id = `chart-${title.replace(/\W+/g, '-').toLowerCase()}`;
  const show = (v: number | string) => (typeof v === 'number' ? (unit ? unit(v) : String(v)) : v);
  return (
    <figure className="mb-4">
      <figcaption className="h6">{title}</figcaption>
      <svg className="chart w-100" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-d`} style={{ maxWidth: width }} data-testid="monitoring-chart">
        <desc id={`${id}-d`}>{data.map((d) => `${d.label}: ${show(d.value)}`).join('; ') || 'Nessun dato'}</desc>
        {data.map((d, i) => {
          const w = typeof d.value === 'number' ? ((width - labelW - 90) * d.value) / max : 0;
          return (
            <g key={d.label} transform={`translate(0, ${i * row + 4})`}>
              <text x={0} y={16}>{d.label.length > 32 ? `${d.label.slice(0, 31)}…` : d.label}</text>
              <rect x={labelW} y={3} width={Math.max(w, typeof d.value === 'number' && d.value > 0 ? 3 : 0)} height={row - 10} rx={3} fill="#0066cc" />
              <text x={labelW + w + 6} y={16} fontWeight={600}>{show(d.value)}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export function Monitoring() {
  const { api } = useSession();
  const comuni = useComuni();
  const ambiti = [...new Set(comuni.map((c) => c.ambitoId).filter((a): a is string => a !== null))].sort();
  const [from, setFrom] = useState(monthOffset(-11));
  const [to, setTo] = useState(monthOffset(0));
  const [groupBy, setGroupBy] = useState<MonitoringDimension[]>(['period']);
  const [ambito, setAmbito] = useState('');
  const [exportError, setExportError] = useState<ApiError>();
  const query = new URLSearchParams({ from, to, groupBy: groupBy.join(','), ...(ambito !== '' && { ambito }) }).toString();
  const report = useLoad(() => api.get<MonitoringReport>(`/api/reports/monitoring?${query}`), [api, query]);

  const toggle = (d: MonitoringDimension) => setGroupBy((g) => (g.includes(d) ? g.filter((x) => x !== d) : MONITORING_DIMENSIONS.filter((x) => x === d || g.includes(x))));
  const download = (ext: 'csv' | 'xlsx') => {
    setExportError(undefined);
    api.download(`/api/reports/monitoring.${ext}?${query}`, `monitoraggio-${from}-${to}.${ext}`).catch((e: unknown) => setExportError(e instanceof ApiError ? e : new ApiError(0, String(e))));
  };

  const r = report.data;
  // Resource types no case used in the period only widen the table.
  const columns = r?.columns.filter((c) => !c.key.startsWith('resource:') || r.totals.counts[c.key] !== 0) ?? [];
  return (
    <>
      <PageTitle>Monitoraggio</PageTitle>
      <p className="text-muted">
        Dati aggregati per la rendicontazione e la programmazione. Nessun dato personale: le celle con meno di 3 casi sono mostrate come <code>&lt;3</code>; <code>n.d.</code> indica un dato nascosto perché, con i totali, permetterebbe di ricalcolarle. Le risorse mai attivate nel periodo non sono mostrate qui (sono nelle esportazioni).
      </p>
      <form className="card card-body shadow-sm mb-3" onSubmit={(e) => e.preventDefault()} aria-label="Filtri del monitoraggio">
        <div className="row g-3 align-items-end">
          <div className="col-sm-3">
            <label htmlFor="mon-from" className="form-label">Dal mese</label>
            <input id="mon-from" type="month" className="form-control" value={from} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="col-sm-3">
            <label htmlFor="mon-to" className="form-label">Al mese</label>
            <input id="mon-to" type="month" className="form-control" value={to} onChange={(e) => setTo(e.target.value)} />
          </div>
          <div className="col-sm-3">
            <label htmlFor="mon-ambito" className="form-label">Ambito</label>
            <select id="mon-ambito" className="form-select" value={ambito} onChange={(e) => setAmbito(e.target.value)}>
              <option value="">Tutti</option>
              {ambiti.map((a) => <option key={a} value={a}>{a}</option>)}
            </select>
          </div>
          <fieldset className="col-12">
            <legend className="form-label fs-6">Raggruppa per</legend>
            {MONITORING_DIMENSIONS.map((d) => (
              <div className="form-check form-check-inline" key={d}>
                <input className="form-check-input" type="checkbox" id={`mon-g-${d}`} checked={groupBy.includes(d)} onChange={() => toggle(d)} />
                <label className="form-check-label" htmlFor={`mon-g-${d}`}>{MONITORING_DIMENSION_LABELS[d]}</label>
              </div>
            ))}
          </fieldset>
          <div className="col-12 d-flex gap-2">
            <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => download('csv')}>Esporta CSV</button>
            <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => download('xlsx')}>Esporta Excel</button>
          </div>
        </div>
      </form>
      <ErrorAlert error={report.error} title="Filtri non validi o dati non disponibili" />
      {report.error?.issues.length ? <ul>{report.error.issues.map((i) => <li key={i.path}>{i.path}: {i.message}</li>)}</ul> : null}
      <ErrorAlert error={exportError} title="Esportazione non riuscita" />
      {!r ? (report.loading ? <Loading /> : null) : (
        <>
          <div className="row">
            <div className="col-lg-6">
              {r.groupBy.length > 0 && (
                <Bars title={`Casi per ${r.groupBy.map((d) => MONITORING_DIMENSION_LABELS[d].toLowerCase()).join(' e ')}`} data={chartRows(r)} />
              )}
            </div>
            <div className="col-lg-6">
              <Bars
                title="Tempi di risposta (mediana, tutti i casi)"
                data={RESPONSE_TIMES.map((t) => ({ label: RESPONSE_TIME_LABELS[t], value: r.totals.times[t].median ?? '<3' }))}
                unit={formatMinutes}
              />
            </div>
          </div>
          <div className="table-responsive">
            <table className="table table-sm table-striped bg-white align-middle" data-testid="monitoring-table">
              <caption>Casi segnalati da {r.from} a {r.to}{r.ambito ? `, Ambito ${r.ambito}` : ''}</caption>
              <thead>
                <tr>
                  {r.groupBy.map((d) => <th scope="col" key={d}>{MONITORING_DIMENSION_LABELS[d]}</th>)}
                  {columns.map((c) => <th scope="col" className="text-end" key={c.key}>{c.label}</th>)}
                  {RESPONSE_TIMES.map((t) => <th scope="col" className="text-end" key={t}>{RESPONSE_TIME_LABELS[t]} (mediana / 90°)</th>)}
                </tr>
              </thead>
              <tbody>
                {r.rows.map((row, i) => (
                  <tr key={i}>
                    {r.groupBy.map((d) => <th scope="row" key={d}>{row.group[d]?.label}</th>)}
                    {columns.map((c) => <td className="text-end" key={c.key}>{countText(row.counts[c.key])}</td>)}
                    {RESPONSE_TIMES.map((t) => <td className="text-end" key={t}>{formatMinutes(row.times[t].median)} / {formatMinutes(row.times[t].p90)}</td>)}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="fw-bold">
                  <th scope="row" colSpan={Math.max(1, r.groupBy.length)}>Totale</th>
                  {columns.map((c) => <td className="text-end" key={c.key}>{countText(r.totals.counts[c.key])}</td>)}
                  {RESPONSE_TIMES.map((t) => <td className="text-end" key={t}>{formatMinutes(r.totals.times[t].median)} / {formatMinutes(r.totals.times[t].p90)}</td>)}
                </tr>
              </tfoot>
            </table>
          </div>
          {r.notes.map((n) => <p className="small text-muted" key={n}>{n}</p>)}
        </>
      )}
    </>
  );
}

/** Cases of each row (the first 15 rows), labelled with all its groupings. */
function chartRows(r: MonitoringReport): Array<{ label: string; value: number | string }> {
  return r.rows.slice(0, 15).map((row) => ({ label: r.groupBy.map((d) => row.group[d]?.label ?? '').join(' · '), value: row.counts.cases ?? 0 }));
}
