import { useState } from 'react';
import { problemText, type AdminComune, type ComuneCalendarAnswer, type OfficeCalendarBody } from '../../api';
import { Alert, ErrorAlert, Loading, PageTitle } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useSession } from '../../session';

/** Office calendars of the Comuni: weekly hours, extra closures and openings, preview of the next openings. */

const WEEKDAYS: Array<[keyof OfficeCalendarBody['weeklyHours'], string]> = [
  ['1', 'Lunedì'],
  ['2', 'Martedì'],
  ['3', 'Mercoledì'],
  ['4', 'Giovedì'],
  ['5', 'Venerdì'],
  ['6', 'Sabato'],
  ['7', 'Domenica'],
];

/** "09:00-12:30, 14:00-16:00" ⇄ slots. */
function slotsText(slots: Array<{ open: string; close: string }> | undefined): string {
  return (slots ?? []).map((s) => `${s.open}-${s.close}`).join(', ');
}
function parseSlots(text: string): Array<{ open: string; close: string }> {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => {
      const [open = '', close = ''] = p.split('-').map((x) => x.trim());
      return { open, close };
    });
}

export function CalendarPage() {
  const { api } = useSession();
  const comuni = useLoad(() => api.get<{ items: AdminComune[] }>('/api/admin/comuni'), [api]);
  const [code, setCode] = useState<string>('');
  const selected = code || comuni.data?.items[0]?.code || '';

  return (
    <>
      <PageTitle>Calendari degli uffici</PageTitle>
      <ErrorAlert error={comuni.error} />
      {!comuni.data ? <Loading /> : (
        <>
          <div className="select-wrapper mb-3" style={{ maxWidth: 360 }}>
            <label htmlFor="calendar-comune">Comune</label>
            <select id="calendar-comune" value={selected} onChange={(e) => setCode(e.target.value)}>
              {comuni.data.items.map((c) => (
                <option key={c.code} value={c.code}>{c.name}</option>
              ))}
            </select>
          </div>
          {selected && <ComuneCalendar code={selected} key={selected} />}
        </>
      )}
    </>
  );
}

function ComuneCalendar({ code }: { code: string }) {
  const { api } = useSession();
  const loaded = useLoad(() => api.get<ComuneCalendarAnswer>(`/api/admin/comuni/${code}/calendar`), [api, code]);
  const [verdict, setVerdict] = useState<{ tone: 'success' | 'danger'; text: string }>();
  const [hours, setHours] = useState<Record<string, string>>();
  const [closure, setClosure] = useState({ date: '', until: '', reason: '' });
  const [opening, setOpening] = useState({ date: '', slots: '', reason: '' });

  if (loaded.error) return <ErrorAlert error={loaded.error} />;
  const data = loaded.data;
  if (!data) return <Loading />;
  const calendar = data.calendar;
  const weekly = hours ?? Object.fromEntries(WEEKDAYS.map(([d]) => [d, slotsText(calendar.weeklyHours[d])]));

  async function save(next: OfficeCalendarBody, what: string) {
    setVerdict(undefined);
    try {
      const answer = await api.put<ComuneCalendarAnswer>(`/api/admin/comuni/${code}/calendar`, next);
      setHours(undefined);
      const cases = answer.casesToRecompute ?? 0;
      setVerdict({ tone: 'success', text: `${what} salvato.${cases > 0 ? ` Passaggi di consegne ricalcolati: ${cases}.` : ''}` });
      await loaded.reload();
    } catch (err) {
      setVerdict({ tone: 'danger', text: problemText(err) });
    }
  }

  async function addClosure() {
    setVerdict(undefined);
    try {
      const body = { date: closure.date, reason: closure.reason, ...(closure.until && { until: closure.until }) };
      const { data: answer } = await api.post<ComuneCalendarAnswer>(`/api/admin/comuni/${code}/closures`, body);
      const cases = answer.casesToRecompute ?? 0;
      setVerdict({ tone: 'success', text: `Chiusura straordinaria aggiunta.${cases > 0 ? ` Passaggi di consegne ricalcolati: ${cases}.` : ''}` });
      setClosure({ date: '', until: '', reason: '' });
      await loaded.reload();
    } catch (err) {
      setVerdict({ tone: 'danger', text: problemText(err) });
    }
  }

  const weeklyHours = Object.fromEntries(WEEKDAYS.map(([d]) => [d, parseSlots(weekly[d] ?? '')] as const).filter(([, slots]) => slots.length > 0));

  return (
    <div className="row g-3">
      <div className="col-lg-7">
        {verdict && <Alert tone={verdict.tone}>{verdict.text}</Alert>}
        <section className="card card-body shadow-sm mb-3" aria-labelledby="weekly-title">
          <h2 id="weekly-title" className="h5">Orario settimanale</h2>
          <p className="small text-muted">Fasce separate da virgola, es. 09:00-12:30, 14:00-16:00. Vuoto: chiuso.</p>
          {WEEKDAYS.map(([d, name]) => (
            <div className="form-group mb-2" key={d}>
              <label htmlFor={`hours-${d}`} className="active">{name}</label>
              <input id={`hours-${d}`} type="text" className="form-control" value={weekly[d] ?? ''} onChange={(e) => setHours({ ...weekly, [d]: e.target.value })} />
            </div>
          ))}
          <button type="button" className="btn btn-primary btn-sm" onClick={() => void save({ ...calendar, weeklyHours }, 'Orario settimanale')}>Salva l’orario</button>
        </section>

        <section className="card card-body shadow-sm mb-3" aria-labelledby="closures-title">
          <h2 id="closures-title" className="h5">Chiusure straordinarie</h2>
          {calendar.extraClosures.length === 0 ? <p className="text-muted">Nessuna chiusura straordinaria.</p> : (
            <ul className="list-group mb-3" data-testid="closures">
              {calendar.extraClosures.map((c, i) => (
                <li key={`${c.date}-${i}`} className="list-group-item d-flex justify-content-between gap-2">
                  <span>{c.date}{c.until ? ` – ${c.until}` : ''}: {c.reason}</span>
                  <button type="button" className="btn btn-link btn-sm p-0" onClick={() => void save({ ...calendar, extraClosures: calendar.extraClosures.filter((_, j) => j !== i) }, 'Calendario')}>Annulla la chiusura</button>
                </li>
              ))}
            </ul>
          )}
          <div className="row g-2 align-items-end">
            <div className="col-sm-4"><label htmlFor="closure-date" className="active">Dal giorno</label><input id="closure-date" type="date" className="form-control" value={closure.date} onChange={(e) => setClosure({ ...closure, date: e.target.value })} /></div>
            <div className="col-sm-4"><label htmlFor="closure-until" className="active">Al giorno (facoltativo)</label><input id="closure-until" type="date" className="form-control" value={closure.until} onChange={(e) => setClosure({ ...closure, until: e.target.value })} /></div>
            <div className="col-sm-4"><label htmlFor="closure-reason" className="active">Motivo della chiusura</label><input id="closure-reason" type="text" className="form-control" value={closure.reason} onChange={(e) => setClosure({ ...closure, reason: e.target.value })} /></div>
          </div>
          <button type="button" className="btn btn-primary btn-sm mt-2" onClick={() => void addClosure()}>Aggiungi la chiusura</button>
        </section>

        <section className="card card-body shadow-sm mb-3" aria-labelledby="openings-extra-title">
          <h2 id="openings-extra-title" className="h5">Aperture straordinarie</h2>
          {calendar.extraOpenings.length === 0 ? <p className="text-muted">Nessuna apertura straordinaria.</p> : (
            <ul className="list-group mb-3">
              {calendar.extraOpenings.map((o, i) => (
                <li key={`${o.date}-${i}`} className="list-group-item d-flex justify-content-between gap-2">
                  <span>{o.date} {slotsText(o.slots)}: {o.reason}</span>
                  <button type="button" className="btn btn-link btn-sm p-0" onClick={() => void save({ ...calendar, extraOpenings: calendar.extraOpenings.filter((_, j) => j !== i) }, 'Calendario')}>Annulla l’apertura</button>
                </li>
              ))}
            </ul>
          )}
          <div className="row g-2 align-items-end">
            <div className="col-sm-4"><label htmlFor="opening-date" className="active">Giorno</label><input id="opening-date" type="date" className="form-control" value={opening.date} onChange={(e) => setOpening({ ...opening, date: e.target.value })} /></div>
            <div className="col-sm-4"><label htmlFor="opening-slots" className="active">Fasce (es. 09:00-12:00)</label><input id="opening-slots" type="text" className="form-control" value={opening.slots} onChange={(e) => setOpening({ ...opening, slots: e.target.value })} /></div>
            <div className="col-sm-4"><label htmlFor="opening-reason" className="active">Motivo dell’apertura</label><input id="opening-reason" type="text" className="form-control" value={opening.reason} onChange={(e) => setOpening({ ...opening, reason: e.target.value })} /></div>
          </div>
          <button
            type="button"
            className="btn btn-primary btn-sm mt-2"
            onClick={() => void save({ ...calendar, extraOpenings: [...calendar.extraOpenings, { date: opening.date, slots: parseSlots(opening.slots), reason: opening.reason }] }, 'Apertura straordinaria')}
          >
            Aggiungi l’apertura
          </button>
        </section>
      </div>
      <div className="col-lg-5">
        <section className="card card-body shadow-sm mb-3" aria-labelledby="preview-title">
          <h2 id="preview-title" className="h5">Prossime aperture</h2>
          <ol className="mb-0" data-testid="openings-preview">
            {data.openings.map((o) => (
              <li key={o.opensAt}>{o.label} – chiude alle {new Intl.DateTimeFormat('it-IT', { hour: '2-digit', minute: '2-digit', timeZone: data.timeZone }).format(new Date(o.closesAt))}</li>
            ))}
          </ol>
          <p className="small text-muted mt-2 mb-0">Calcolate con le festività nazionali, il santo patrono{calendar.patronDays[0] ? ` (${calendar.patronDays[0].name}, ${calendar.patronDays[0].day}/${calendar.patronDays[0].month})` : ''} e le chiusure straordinarie. I casi in attesa del passaggio di consegne seguono il calendario.</p>
        </section>
      </div>
    </div>
  );
}
