import type { CodedLabel, EmergencyNumber, ReferenceData } from './schemas';

/** Law-enforcement bodies whose report opens a PIS case. */
export const reportingForces: CodedLabel[] = [
  { code: 'carabinieri', label: 'Arma dei Carabinieri' },
  { code: 'polizia_di_stato', label: 'Polizia di Stato' },
  { code: 'polizia_locale', label: 'Polizia Locale' },
  { code: 'guardia_di_finanza', label: 'Guardia di Finanza' },
  { code: 'polizia_penitenziaria', label: 'Polizia Penitenziaria' },
];

/** Target groups of the PIS service. */
export const targetCategories: CodedLabel[] = [
  { code: 'adults_families_marginality', label: 'Adulti e nuclei familiari in condizione di grave marginalità' },
  { code: 'frail_without_caregiver', label: 'Anziani o persone fragili rimasti improvvisamente senza caregiver' },
  { code: 'homeless', label: 'Persone senza dimora' },
  { code: 'msna', label: 'Minori stranieri non accompagnati (MSNA)' },
  { code: 'minors_at_risk', label: 'Minori in situazione di grave pregiudizio (art. 403 c.c.)' },
  { code: 'women_violence', label: 'Donne vittime di violenza, sole o con figli' },
];

export const resourceTypes: ReferenceData['resourceTypes'] = [
  { code: 'emergency_bed', label: 'Posto letto di emergenza (dormitorio)' },
  { code: 'women_shelter', label: 'Casa rifugio per donne vittime di violenza' },
  { code: 'minor_first_reception', label: 'Struttura di prima accoglienza per minori (MSNA)' },
  { code: 'meal_service', label: 'Servizio pasti' },
  { code: 'transport', label: 'Trasporto sociale' },
  { code: 'cav_on_call', label: 'Reperibilità del Centro antiviolenza (CAV)' },
];

/** Real national numbers (not demo data). */
export const emergencyNumbers: EmergencyNumber[] = [
  { number: '112', label: 'Numero unico di emergenza europeo (NUE)' },
  { number: '118', label: 'Emergenza sanitaria', note: 'In Lombardia le chiamate confluiscono nella centrale NUE 112.' },
  { number: '1522', label: 'Numero antiviolenza e stalking (gratuito, attivo 24 ore su 24)' },
  { number: '114', label: 'Emergenza Infanzia (gratuito, attivo 24 ore su 24)' },
];
