import { type FormEvent, useState } from 'react';
import { ISTAT_CODE_PATTERN, PHONE_PATTERN } from '../../../src/cases/intake-schema';
import { ApiError } from '../api';
import { Alert, PageTitle, useComuni } from '../components/ui';
import { fromLocalInput, toLocalInput } from '../format';
import { CATEGORY_LABELS, DANGER_LABELS, FORCE_LABELS, GENDER_LABELS, PERSON_ROLE_LABELS } from '../labels';
import { useSession } from '../session';

/** The police report, as in src/cases/intake-schema.ts, with Italian messages before it is sent. */

export interface PersonValues {
  role: string;
  firstName: string;
  lastName: string;
  birthYear: string;
  isMinor: boolean;
  gender: string;
  nationality: string;
}

export interface IntakeValues {
  reportingForce: string;
  officerName: string;
  callbackNumber: string;
  reportNumber: string;
  reportedAt: string;
  eventComuneCode: string;
  eventAddress: string;
  residenceComuneCode: string;
  categories: string[];
  people: PersonValues[];
  immediateDangers: string[];
  narrative: string;
}

export const emptyPerson = (): PersonValues => ({ role: 'subject', firstName: '', lastName: '', birthYear: '', isMinor: false, gender: '', nationality: '' });

export function emptyIntake(now = new Date()): IntakeValues {
  return {
    reportingForce: '',
    officerName: '',
    callbackNumber: '',
    reportNumber: '',
    reportedAt: toLocalInput(now),
    eventComuneCode: '',
    eventAddress: '',
    residenceComuneCode: '',
    categories: [],
    people: [emptyPerson()],
    immediateDangers: [],
    narrative: '',
  };
}

// The server's own rules (src/cases/intake-schema.ts).
const PHONE = PHONE_PATTERN;
const ISTAT = ISTAT_CODE_PATTERN;

/** Field → Italian message; empty when the report can be sent. */
export function validateIntake(v: IntakeValues): Record<string, string> {
  const e: Record<string, string> = {};
  const required = (field: keyof IntakeValues, value: string) => {
    if (!value.trim()) e[field] = 'Campo obbligatorio';
  };
  required('reportingForce', v.reportingForce);
  required('officerName', v.officerName);
  required('reportNumber', v.reportNumber);
  required('eventComuneCode', v.eventComuneCode);
  required('eventAddress', v.eventAddress);
  required('narrative', v.narrative);
  if (!v.callbackNumber.trim()) e.callbackNumber = 'Campo obbligatorio';
  else if (!PHONE.test(v.callbackNumber.trim())) e.callbackNumber = 'Numero di telefono non valido (solo cifre, spazi e + ( ) . / -, da 6 a 20 caratteri)';
  if (!v.reportedAt) e.reportedAt = 'Indicare data e ora della segnalazione';
  else if (fromLocalInput(v.reportedAt) === undefined) e.reportedAt = 'Data e ora non valide';
  if (v.residenceComuneCode && !ISTAT.test(v.residenceComuneCode)) e.residenceComuneCode = 'Codice ISTAT di 6 cifre';
  if (v.categories.length === 0) e.categories = 'Indicare almeno una categoria';
  if (v.people.length === 0) e.people = 'Indicare almeno una persona';
  if (v.narrative.length > 4000) e.narrative = 'Al massimo 4000 caratteri';
  v.people.forEach((p, i) => {
    if (p.birthYear) {
      const y = Number(p.birthYear);
      if (!Number.isInteger(y) || y < 1900 || y > 2100) e[`people.${i}.birthYear`] = 'Anno di nascita non valido (1900–2100)';
    }
  });
  return e;
}

export function toIntakeBody(v: IntakeValues): Record<string, unknown> {
  const opt = (s: string) => (s.trim() ? s.trim() : undefined);
  return {
    reportingForce: v.reportingForce,
    officerName: v.officerName.trim(),
    callbackNumber: v.callbackNumber.trim(),
    reportNumber: v.reportNumber.trim(),
    reportedAt: fromLocalInput(v.reportedAt),
    eventComuneCode: v.eventComuneCode,
    eventAddress: v.eventAddress.trim(),
    residenceComuneCode: opt(v.residenceComuneCode),
    categories: v.categories,
    people: v.people.map((p) => ({
      role: p.role,
      firstName: opt(p.firstName),
      lastName: opt(p.lastName),
      birthYear: p.birthYear ? Number(p.birthYear) : undefined,
      isMinor: p.isMinor,
      gender: opt(p.gender),
      nationality: opt(p.nationality),
    })),
    immediateDangers: v.immediateDangers.filter((d) => d !== 'none'),
    narrative: v.narrative.trim(),
  };
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <div id={`${id}-error`} className="invalid-feedback d-block">
      {message}
    </div>
  );
}

const described = (id: string, errors: Record<string, string>) => (errors[id] ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {});

type Outcome = { created: boolean; caseId: string; reference: string };

export function Intake() {
  const { api } = useSession();
  const comuni = useComuni();
  const [values, setValues] = useState<IntakeValues>(() => emptyIntake());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<Outcome>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const clearError = (field: string) =>
    setErrors((e) => {
      if (!(field in e)) return e;
      const { [field]: _gone, ...rest } = e;
      return rest;
    });
  const set = <K extends keyof IntakeValues>(k: K, value: IntakeValues[K]) => {
    clearError(k);
    setValues((v) => ({ ...v, [k]: value }));
  };
  const toggle = (k: 'categories' | 'immediateDangers', code: string) => {
    clearError(k);
    setValues((v) => ({ ...v, [k]: v[k].includes(code) ? v[k].filter((c) => c !== code) : [...v[k], code] }));
  };
  const setPerson = (i: number, patch: Partial<PersonValues>) => {
    for (const key of Object.keys(patch)) clearError(`people.${i}.${key}`);
    setValues((v) => ({ ...v, people: v.people.map((p, j) => (j === i ? { ...p, ...patch } : p)) }));
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setOutcome(undefined);
    setFailure(undefined);
    const found = validateIntake(values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFailure('Controllare i campi evidenziati');
      return;
    }
    setBusy(true);
    try {
      const { data } = await api.post<Outcome>('/api/cases', toIntakeBody(values));
      setOutcome(data);
      if (data.created) setValues(emptyIntake());
    } catch (err) {
      if (err instanceof ApiError && err.issues.length > 0) {
        setErrors(Object.fromEntries(err.issues.map((i) => [i.path, i.message])));
        setFailure(`${err.message}: controllare i campi evidenziati`);
      } else {
        setFailure(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setBusy(false);
    }
  }

  const input = (id: keyof IntakeValues, label: string, props: Record<string, unknown> = {}) => (
    <div className="mb-3 col-md-6">
      <label htmlFor={id} className="form-label">
        {label}
      </label>
      <input id={id} className={`form-control ${errors[id] ? 'is-invalid' : ''}`} value={values[id] as string} onChange={(e) => set(id, e.target.value as never)} {...described(id, errors)} {...props} />
      <FieldError id={id} message={errors[id]} />
    </div>
  );

  const select = (id: keyof IntakeValues, label: string, options: ReadonlyArray<readonly [string, string]>) => (
    <div className="mb-3 col-md-6">
      <label htmlFor={id} className="form-label">{label}</label>
      <select id={id} className={`form-select ${errors[id] ? 'is-invalid' : ''}`} value={values[id] as string} onChange={(e) => set(id, e.target.value as never)} {...described(id, errors)}>
        <option value="">Scegliere…</option>
        {options.map(([code, text]) => (
          <option key={code} value={code}>{text}</option>
        ))}
      </select>
      <FieldError id={id} message={errors[id]} />
    </div>
  );

  return (
    <>
      <PageTitle>Nuova segnalazione</PageTitle>
      {outcome?.created && (
        <Alert tone="success" title={`Caso ${outcome.reference} creato`}>
          La segnalazione è stata registrata. <a href={`#/casi/${outcome.caseId}`}>Apri il caso {outcome.reference}</a>
        </Alert>
      )}
      {outcome && !outcome.created && (
        <Alert tone="warning" title="Segnalazione già registrata">
          Questa segnalazione (stessa forza dell’ordine e stesso numero) corrisponde al caso esistente {outcome.reference}: non è stato creato un nuovo caso.{' '}
          <a href={`#/casi/${outcome.caseId}`}>Apri il caso {outcome.reference}</a>
        </Alert>
      )}
      {failure && <Alert tone="danger" title="Segnalazione non inviata">{failure}</Alert>}
      <form onSubmit={(e) => void submit(e)} noValidate aria-describedby="intake-help">
        <p id="intake-help" className="small text-muted">
          I campi con * sono obbligatori. Il PIS interviene solo su segnalazione delle forze dell’ordine e quando i servizi sociali del Comune sono chiusi.
        </p>
        <fieldset className="mb-3">
          <legend className="h5">Segnalante</legend>
          <div className="row">
            {select('reportingForce', 'Forza dell’ordine *', Object.entries(FORCE_LABELS))}
            {input('officerName', 'Operatore di polizia *', { autoComplete: 'off' })}
            {input('callbackNumber', 'Numero di richiamata *', { type: 'tel', inputMode: 'tel', autoComplete: 'off' })}
            {input('reportNumber', 'Numero della segnalazione *', { autoComplete: 'off' })}
            {input('reportedAt', 'Data e ora della segnalazione *', { type: 'datetime-local' })}
          </div>
        </fieldset>
        <fieldset className="mb-3">
          <legend className="h5">Luogo</legend>
          <div className="row">
            {select('eventComuneCode', 'Comune dell’evento *', comuni.map((c) => [c.code, c.name] as const))}
            {input('eventAddress', 'Indirizzo dell’evento *', { autoComplete: 'off' })}
            <div className="mb-3 col-md-6">
              <label htmlFor="residenceComuneCode" className="form-label">Comune di residenza (se noto)</label>
              <input id="residenceComuneCode" list="comuni-list" className={`form-control ${errors.residenceComuneCode ? 'is-invalid' : ''}`} placeholder="Codice ISTAT, es. 015182" value={values.residenceComuneCode} onChange={(e) => set('residenceComuneCode', e.target.value.trim())} inputMode="numeric" {...described('residenceComuneCode', errors)} />
              <datalist id="comuni-list">
                {comuni.map((c) => (
                  <option key={c.code} value={c.code}>{c.name}</option>
                ))}
              </datalist>
              <FieldError id="residenceComuneCode" message={errors.residenceComuneCode} />
            </div>
          </div>
        </fieldset>
        <fieldset className="mb-3" aria-describedby={errors.categories ? 'categories-error' : undefined}>
          <legend className="h5">Categorie *</legend>
          {Object.entries(CATEGORY_LABELS).map(([code, text]) => (
            <div className="form-check" key={code}>
              <input className="form-check-input" type="checkbox" id={`cat-${code}`} checked={values.categories.includes(code)} onChange={() => toggle('categories', code)} />
              <label className="form-check-label" htmlFor={`cat-${code}`}>{text}</label>
            </div>
          ))}
          <FieldError id="categories" message={errors.categories} />
        </fieldset>
        <fieldset className="mb-3">
          <legend className="h5">Persone coinvolte *</legend>
          {values.people.map((p, i) => (
            <div className="card card-body mb-2 border" key={i} data-testid={`person-${i}`}>
              <div className="row">
                <div className="mb-2 col-md-4">
                  <label htmlFor={`p${i}-role`} className="form-label">Ruolo</label>
                  <select id={`p${i}-role`} className="form-select" value={p.role} onChange={(e) => setPerson(i, { role: e.target.value })}>
                    {Object.entries(PERSON_ROLE_LABELS).map(([code, text]) => (
                      <option key={code} value={code}>{text}</option>
                    ))}
                  </select>
                </div>
                <div className="mb-2 col-md-4">
                  <label htmlFor={`p${i}-firstName`} className="form-label">Nome</label>
                  <input id={`p${i}-firstName`} className="form-control" autoComplete="off" value={p.firstName} onChange={(e) => setPerson(i, { firstName: e.target.value })} />
                </div>
                <div className="mb-2 col-md-4">
                  <label htmlFor={`p${i}-lastName`} className="form-label">Cognome</label>
                  <input id={`p${i}-lastName`} className="form-control" autoComplete="off" value={p.lastName} onChange={(e) => setPerson(i, { lastName: e.target.value })} />
                </div>
                <div className="mb-2 col-md-4">
                  <label htmlFor={`p${i}-birthYear`} className="form-label">Anno di nascita</label>
                  <input id={`p${i}-birthYear`} className={`form-control ${errors[`people.${i}.birthYear`] ? 'is-invalid' : ''}`} inputMode="numeric" value={p.birthYear} onChange={(e) => setPerson(i, { birthYear: e.target.value })} {...described(`people.${i}.birthYear`, errors)} />
                  <FieldError id={`people.${i}.birthYear`} message={errors[`people.${i}.birthYear`]} />
                </div>
                <div className="mb-2 col-md-4">
                  <label htmlFor={`p${i}-gender`} className="form-label">Genere</label>
                  <select id={`p${i}-gender`} className="form-select" value={p.gender} onChange={(e) => setPerson(i, { gender: e.target.value })}>
                    <option value="">Non indicato</option>
                    {Object.entries(GENDER_LABELS).map(([code, text]) => (
                      <option key={code} value={code}>{text}</option>
                    ))}
                  </select>
                </div>
                <div className="mb-2 col-md-4">
                  <label htmlFor={`p${i}-nationality`} className="form-label">Nazionalità</label>
                  <input id={`p${i}-nationality`} className="form-control" autoComplete="off" value={p.nationality} onChange={(e) => setPerson(i, { nationality: e.target.value })} />
                </div>
              </div>
              <div className="d-flex justify-content-between align-items-center">
                <div className="form-check">
                  <input className="form-check-input" type="checkbox" id={`p${i}-isMinor`} checked={p.isMinor} onChange={(e) => setPerson(i, { isMinor: e.target.checked })} />
                  <label className="form-check-label" htmlFor={`p${i}-isMinor`}>Minore</label>
                </div>
                {values.people.length > 1 && (
                  <button type="button" className="btn btn-sm btn-outline-danger" onClick={() => setValues((v) => ({ ...v, people: v.people.filter((_, j) => j !== i) }))}>
                    Rimuovi persona {i + 1}
                  </button>
                )}
              </div>
            </div>
          ))}
          <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => setValues((v) => ({ ...v, people: [...v.people, emptyPerson()] }))}>
            Aggiungi persona
          </button>
          <FieldError id="people" message={errors.people} />
        </fieldset>
        <fieldset className="mb-3">
          <legend className="h5">Pericoli immediati</legend>
          {Object.entries(DANGER_LABELS)
            .filter(([code]) => code !== 'none')
            .map(([code, text]) => (
              <div className="form-check" key={code}>
                <input className="form-check-input" type="checkbox" id={`danger-${code}`} checked={values.immediateDangers.includes(code)} onChange={() => toggle('immediateDangers', code)} />
                <label className="form-check-label" htmlFor={`danger-${code}`}>{text}</label>
              </div>
            ))}
        </fieldset>
        <div className="mb-3">
          <label htmlFor="narrative" className="form-label">Descrizione sintetica *</label>
          <textarea id="narrative" rows={4} className={`form-control ${errors.narrative ? 'is-invalid' : ''}`} value={values.narrative} onChange={(e) => set('narrative', e.target.value)} {...described('narrative', errors)} />
          <FieldError id="narrative" message={errors.narrative} />
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Invio in corso…' : 'Registra la segnalazione'}
        </button>
      </form>
    </>
  );
}
