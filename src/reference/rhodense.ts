import type { IsoWeekdayKey, OpeningSlot } from '../calendar';
import type { Ambito, Comune, NetworkResource, PatronSaint } from './schemas';

/**
 * Seed data for the first customer, the Ambito territoriale del Rhodense (Città metropolitana di
 * Milano). ISTAT codes were checked against two independent public sources each; patron saints
 * are marked `verified: false` where sources disagree or none was found. Office hours, phone
 * numbers, e-mail addresses and the resource directory are DEMO values, not real contacts.
 */

export const AMBITO_RHODENSE: Ambito = {
  id: 'rhodense',
  name: 'Ambito territoriale del Rhodense',
  region: 'Lombardia',
};

const TIME_ZONE = 'Europe/Rome';

/** Monday–Friday mornings plus the given afternoons (demo hours). */
function demoHours(morning: OpeningSlot, afternoons: Partial<Record<IsoWeekdayKey, OpeningSlot>>): Comune['calendar']['weeklyHours'] {
  const weekdays: IsoWeekdayKey[] = ['1', '2', '3', '4', '5'];
  return Object.fromEntries(
    weekdays.map((day) => {
      const afternoon = afternoons[day];
      return [day, afternoon ? [morning, afternoon] : [morning]];
    }),
  );
}

interface ComuneInput {
  istatCode: string;
  name: string;
  slug: string;
  phone: string;
  patron: PatronSaint | null;
  weeklyHours: Comune['calendar']['weeklyHours'];
  notes?: string;
}

function comune(input: ComuneInput): Comune {
  const { istatCode, name, slug, phone, patron, weeklyHours, notes } = input;
  return {
    istatCode,
    name,
    province: 'MI',
    ambitoId: AMBITO_RHODENSE.id,
    patron,
    socialServices: {
      officeName: `Servizi sociali del Comune di ${name}`,
      phone,
      email: `servizi.sociali.${slug}@example.org`,
      demo: true,
    },
    calendar: {
      comuneCode: istatCode,
      timeZone: TIME_ZONE,
      weeklyHours,
      patronDays: patron ? [{ month: patron.month, day: patron.day, name: patron.name, verified: patron.verified }] : [],
      extraClosures: [],
    },
    ...(notes === undefined ? {} : { notes }),
  };
}

const PIETRO_E_PAOLO: PatronSaint = { name: 'Santi Pietro e Paolo', month: 6, day: 29, verified: true };

export const COMUNI_RHODENSE: Comune[] = [
  comune({
    istatCode: '015009',
    name: 'Arese',
    slug: 'arese',
    phone: '+39 02 0000 0101',
    patron: PIETRO_E_PAOLO,
    weeklyHours: demoHours({ open: '09:00', close: '12:30' }, { 3: { open: '14:00', close: '17:00' } }),
  }),
  comune({
    istatCode: '015087',
    name: 'Cornaredo',
    slug: 'cornaredo',
    phone: '+39 02 0000 0102',
    patron: {
      name: 'Santi Giacomo e Filippo',
      month: 5,
      day: 3,
      verified: false,
      note: 'Patrono concorde nelle fonti; come giorno festivo una fonte indica il 3 maggio, un\'altra la prima domenica di settembre.',
    },
    weeklyHours: demoHours({ open: '08:45', close: '12:15' }, { 2: { open: '14:30', close: '17:30' } }),
    notes: 'Verificare con il Comune la data di chiusura degli uffici per il santo patrono.',
  }),
  comune({
    istatCode: '015116',
    name: 'Lainate',
    slug: 'lainate',
    phone: '+39 02 0000 0103',
    patron: {
      name: 'San Vittore',
      month: 5,
      day: 8,
      verified: false,
      note: "Le fonti non concordano: San Vittore (8 maggio) oppure Sant'Anna (26 luglio).",
    },
    weeklyHours: demoHours(
      { open: '09:00', close: '12:30' },
      { 2: { open: '14:00', close: '17:00' }, 4: { open: '14:00', close: '17:00' } },
    ),
    notes: 'Verificare con il Comune il santo patrono e il giorno di chiusura degli uffici.',
  }),
  comune({
    istatCode: '015170',
    name: 'Pero',
    slug: 'pero',
    phone: '+39 02 0000 0104',
    patron: null,
    weeklyHours: demoHours({ open: '09:00', close: '12:00' }, { 1: { open: '14:30', close: '18:00' } }),
    notes: 'Santo patrono e giorno di chiusura non trovati nelle fonti consultate (la festa patronale parrocchiale cade a settembre): da completare.',
  }),
  comune({
    istatCode: '015176',
    name: 'Pogliano Milanese',
    slug: 'pogliano-milanese',
    phone: '+39 02 0000 0105',
    patron: PIETRO_E_PAOLO,
    weeklyHours: demoHours({ open: '09:00', close: '12:00' }, { 4: { open: '15:00', close: '18:00' } }),
  }),
  comune({
    istatCode: '015179',
    name: 'Pregnana Milanese',
    slug: 'pregnana-milanese',
    phone: '+39 02 0000 0106',
    patron: PIETRO_E_PAOLO,
    weeklyHours: demoHours({ open: '09:00', close: '12:30' }, { 4: { open: '14:00', close: '18:00' } }),
  }),
  comune({
    istatCode: '015182',
    name: 'Rho',
    slug: 'rho',
    phone: '+39 02 0000 0107',
    patron: { name: 'San Vittore', month: 5, day: 8, verified: true },
    weeklyHours: demoHours(
      { open: '08:30', close: '12:30' },
      { 1: { open: '14:00', close: '16:30' }, 3: { open: '14:00', close: '16:30' } },
    ),
  }),
  comune({
    istatCode: '015211',
    name: 'Settimo Milanese',
    slug: 'settimo-milanese',
    phone: '+39 02 0000 0108',
    patron: { name: "Sant'Ambrogio", month: 12, day: 7, verified: true, note: 'La parrocchia festeggia Santa Margherita a luglio.' },
    weeklyHours: demoHours({ open: '09:00', close: '12:30' }, { 3: { open: '14:30', close: '18:00' } }),
  }),
  comune({
    istatCode: '015229',
    name: 'Vanzago',
    slug: 'vanzago',
    phone: '+39 02 0000 0109',
    patron: { name: 'Santi Ippolito e Cassiano', month: 8, day: 13, verified: true },
    weeklyHours: demoHours({ open: '09:00', close: '12:00' }, { 2: { open: '16:00', close: '18:00' } }),
  }),
];

/** DEMO network directory: fictional names and contacts, plausible capacities. */
export const RESOURCES_RHODENSE: NetworkResource[] = [
  {
    id: 'rhodense-dormitorio-rho',
    ambitoId: AMBITO_RHODENSE.id,
    type: 'emergency_bed',
    name: 'Dormitorio di pronta accoglienza notturna (demo)',
    comuneIstatCode: '015182',
    capacity: { total: 20, unit: 'posti' },
    contacts: { phone: '+39 02 0000 1001', email: 'dormitorio@example.org', hours: 'Ingresso 19:00–23:00, su attivazione PIS anche oltre' },
    confidentialAddress: false,
    address: 'Via Esempio 1, Rho (demo)',
    demo: true,
  },
  {
    id: 'rhodense-piano-freddo',
    ambitoId: AMBITO_RHODENSE.id,
    type: 'emergency_bed',
    name: 'Posti letto Piano freddo, da dicembre a marzo (demo)',
    comuneIstatCode: '015116',
    capacity: { total: 12, unit: 'posti' },
    contacts: { phone: '+39 02 0000 1002', email: 'pianofreddo@example.org', hours: 'Stagionale, 24 ore su 24' },
    confidentialAddress: false,
    address: 'Via Esempio 2, Lainate (demo)',
    demo: true,
  },
  {
    id: 'rhodense-casa-rifugio',
    ambitoId: AMBITO_RHODENSE.id,
    type: 'women_shelter',
    name: 'Casa rifugio a indirizzo segreto (demo)',
    comuneIstatCode: null,
    capacity: { total: 5, unit: 'nuclei' },
    contacts: { phone: '+39 02 0000 1003', email: 'casarifugio@example.org', notes: "L'indirizzo si comunica solo ai ruoli autorizzati.", hours: 'Inserimento in emergenza tramite reperibilità CAV' },
    confidentialAddress: true,
    address: null,
    demo: true,
  },
  {
    id: 'rhodense-prima-accoglienza-msna',
    ambitoId: AMBITO_RHODENSE.id,
    type: 'minor_first_reception',
    name: 'Struttura di prima accoglienza per minori stranieri non accompagnati (demo)',
    comuneIstatCode: '015170',
    capacity: { total: 8, unit: 'posti' },
    contacts: { phone: '+39 02 0000 1004', email: 'msna@example.org', hours: '24 ore su 24' },
    confidentialAddress: false,
    address: 'Via Esempio 4, Pero (demo)',
    demo: true,
  },
  {
    id: 'rhodense-mensa-solidale',
    ambitoId: AMBITO_RHODENSE.id,
    type: 'meal_service',
    name: 'Mensa solidale e pasti da asporto (demo)',
    comuneIstatCode: '015182',
    capacity: { total: 60, unit: 'pasti_giorno' },
    contacts: { phone: '+39 02 0000 1005', email: 'mensa@example.org', hours: 'Tutti i giorni 12:00–13:30 e 19:00–20:30' },
    confidentialAddress: false,
    address: 'Via Esempio 5, Rho (demo)',
    demo: true,
  },
  {
    id: 'rhodense-trasporto-sociale',
    ambitoId: AMBITO_RHODENSE.id,
    type: 'transport',
    name: 'Trasporto sociale in emergenza (demo)',
    comuneIstatCode: null,
    capacity: { total: 2, unit: 'mezzi' },
    contacts: { phone: '+39 02 0000 1006', email: 'trasporti@example.org', hours: 'Reperibilità notturna e festiva' },
    confidentialAddress: false,
    address: null,
    demo: true,
  },
  {
    id: 'rhodense-cav-reperibilita',
    ambitoId: AMBITO_RHODENSE.id,
    type: 'cav_on_call',
    name: 'Centro antiviolenza: reperibilità telefonica (demo)',
    comuneIstatCode: null,
    capacity: null,
    contacts: { phone: '+39 02 0000 1007', email: 'cav@example.org', hours: '24 ore su 24; in alternativa il 1522' },
    confidentialAddress: false,
    address: null,
    demo: true,
  },
];
