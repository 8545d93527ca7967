import { useEffect, useState } from 'react';
import type { DutyState } from '../../../src/contract/alerts';
import { browserAlertsEnabled, enableBrowserAlerts, setBrowserAlerts, useLiveConnected } from '../live';
import { useSession } from '../session';

/**
 * The header's alert controls: "In servizio" (operators and coordinators: PUT /api/me/duty;
 * escalation e-mails go to the coordinators on duty) and "Avvisi sul browser" (per user, kept in
 * localStorage: a notification and a tone for a new task of one's role or an escalation).
 */
export function HeaderAlerts() {
  const { api, session } = useSession();
  const userId = session.user.id;
  const dutyRole = session.user.role === 'emergency_operator' || session.user.role === 'coordinator';
  const [duty, setDuty] = useState<DutyState>();
  const [busy, setBusy] = useState(false);
  const [alerts, setAlerts] = useState(() => browserAlertsEnabled(userId));
  const [hint, setHint] = useState<string>();
  const connected = useLiveConnected();

  useEffect(() => {
    if (!dutyRole) return;
    api.get<DutyState>('/api/me/duty').then(setDuty, () => setDuty(undefined));
  }, [api, dutyRole]);

  async function toggleDuty() {
    if (!duty) return;
    setBusy(true);
    try {
      setDuty(await api.put<DutyState>('/api/me/duty', { onDuty: !duty.onDuty }));
    } catch {
      setHint('Stato di servizio non aggiornato: riprovare');
    } finally {
      setBusy(false);
    }
  }

  async function toggleAlerts(on: boolean) {
    setAlerts(on);
    setHint(undefined);
    if (!on) {
      setBrowserAlerts(userId, false);
      return;
    }
    const granted = await enableBrowserAlerts(userId);
    if (!granted) setHint('Notifiche non consentite dal browser: resta l’avviso sonoro');
  }

  return (
    <div className="d-flex flex-wrap align-items-center justify-content-end gap-3 small mt-1">
      <span className={`pis-live ${connected ? 'pis-live-on' : ''}`} data-testid="live-status" data-connected={connected ? 'true' : 'false'}>
        {connected ? 'Aggiornamenti in tempo reale' : 'Aggiornamenti in riconnessione'}
      </span>
      {dutyRole && duty && (
        <div className="form-check form-switch mb-0">
          <input className="form-check-input" type="checkbox" role="switch" id="duty-toggle" checked={duty.onDuty} disabled={busy} onChange={() => void toggleDuty()} />
          <label className="form-check-label" htmlFor="duty-toggle">In servizio</label>
        </div>
      )}
      <div className="form-check form-switch mb-0">
        <input className="form-check-input" type="checkbox" role="switch" id="alerts-toggle" checked={alerts} onChange={(e) => void toggleAlerts(e.target.checked)} />
        <label className="form-check-label" htmlFor="alerts-toggle">Avvisi sul browser</label>
      </div>
      {hint && <span role="status">{hint}</span>}
    </div>
  );
}
