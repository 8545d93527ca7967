import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../src/api';
import { ComuniProvider } from '../src/components/ui';
import { emptyIntake, Intake, toIntakeBody, validateIntake } from '../src/pages/Intake';
import { SessionProvider } from '../src/session';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const session: Session = { token: 't', expiresAt: '2999-01-01T00:00:00Z', user: { id: 'u-intake', displayName: 'Centrale', role: 'intake_operator', comuneCode: null } };
const comuni = [
  { code: '015182', name: 'Rho', province: 'MI', ambitoId: 'rhodense' },
  { code: '015116', name: 'Lainate', province: 'MI', ambitoId: 'rhodense' },
];

function renderIntake() {
  render(
    <SessionProvider session={session} onLogout={() => undefined}>
      <ComuniProvider value={comuni}>
        <Intake />
      </ComuniProvider>
    </SessionProvider>,
  );
}

describe('validateIntake', () => {
  it('names every missing field in Italian', () => {
    const errors = validateIntake({ ...emptyIntake(), reportedAt: '' });
    expect(errors).toMatchObject({
      reportingForce: 'Campo obbligatorio',
      officerName: 'Campo obbligatorio',
      callbackNumber: 'Campo obbligatorio',
      reportNumber: 'Campo obbligatorio',
      reportedAt: 'Indicare data e ora della segnalazione',
      eventComuneCode: 'Campo obbligatorio',
      eventAddress: 'Campo obbligatorio',
      categories: 'Indicare almeno una categoria',
      narrative: 'Campo obbligatorio',
    });
  });

  it('checks phone numbers, ISTAT codes and birth years', () => {
    const v = emptyIntake();
    v.callbackNumber = 'chiamare';
    v.residenceComuneCode = '15182';
    v.people[0]!.birthYear = '1850';
    const errors = validateIntake(v);
    expect(errors.callbackNumber).toMatch(/Numero di telefono non valido/);
    expect(errors.residenceComuneCode).toBe('Codice ISTAT di 6 cifre');
    expect(errors['people.0.birthYear']).toBe('Anno di nascita non valido (1900–2100)');
  });

  it('builds the API body: ISO time, numbers, no empty optional fields', () => {
    const v = { ...emptyIntake(), reportingForce: 'carabinieri', reportedAt: '2026-11-15T23:10', categories: ['homeless'] };
    v.people[0] = { ...v.people[0]!, firstName: ' Mario ', birthYear: '1961' };
    const body = toIntakeBody(v) as { reportedAt: string; people: Array<Record<string, unknown>>; residenceComuneCode?: string };
    expect(body.reportedAt).toBe(new Date('2026-11-15T23:10').toISOString());
    expect(body.people[0]).toEqual({ role: 'subject', firstName: 'Mario', birthYear: 1961, isMinor: false });
    expect('residenceComuneCode' in body && body.residenceComuneCode !== undefined).toBe(false);
  });
});

describe('Intake form', () => {
  it('shows Italian messages next to the fields and sends nothing when the report is incomplete', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    renderIntake();
    await userEvent.click(screen.getByRole('button', { name: 'Registra la segnalazione' }));
    expect(fetchMock).not.toHaveBeenCalled();
    expect(screen.getByText('Controllare i campi evidenziati')).toBeTruthy();
    const officer = screen.getByLabelText('Operatore di polizia *');
    expect(officer.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(officer.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Campo obbligatorio');
    expect(screen.getByText('Indicare almeno una categoria')).toBeTruthy();
  });

  it('says so when the same report was already registered', async () => {
    const fetchMock = vi.fn().mockResolvedValue(new Response(JSON.stringify({ caseId: 'c1', reference: 'PIS-2026-000007', created: false }), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    renderIntake();
    await userEvent.selectOptions(screen.getByLabelText('Forza dell’ordine *'), 'carabinieri');
    await userEvent.type(screen.getByLabelText('Operatore di polizia *'), 'App. Bianchi');
    await userEvent.type(screen.getByLabelText('Numero di richiamata *'), '+39 02 1234567');
    await userEvent.type(screen.getByLabelText('Numero della segnalazione *'), 'CC-1');
    await userEvent.selectOptions(screen.getByLabelText('Comune dell’evento *'), '015182');
    await userEvent.type(screen.getByLabelText('Indirizzo dell’evento *'), 'Piazza San Vittore 1');
    await userEvent.click(screen.getByLabelText('Persona senza dimora'));
    await userEvent.type(screen.getByLabelText('Descrizione sintetica *'), 'Uomo al freddo');
    await userEvent.click(screen.getByRole('button', { name: 'Registra la segnalazione' }));
    expect(await screen.findByText('Segnalazione già registrata')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Apri il caso PIS-2026-000007' }).getAttribute('href')).toBe('#/casi/c1');
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/api/cases');
    expect(JSON.parse(init.body as string)).toMatchObject({ reportingForce: 'carabinieri', eventComuneCode: '015182', categories: ['homeless'] });
  });
});
