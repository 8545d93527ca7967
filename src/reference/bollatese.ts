import type { IsoWeekdayKey, OpeningSlot } from '../calendar';
import type { Ambito, Comune } from './schemas';

/**
 * Seed data of a second demo Ambito, the Ambito territoriale del Bollatese (Città metropolitana di
 * Milano), so that one installation serves several Ambiti. ISTAT codes are the real ones; the
 * patron saints are left empty (not checked against two sources, see `notes`). Office hours,
 * phone numbers and e-mail addresses are DEMO values, not real contacts. Intake routes a case to
 * this Ambito from its event Comune (`Comune.ambitoId`): no code per Ambito.
 */

export const AMBITO_BOLLATESE: Ambito = {
  id: 'bollatese',
  name: 'Ambito territoriale del Bollatese',
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

function comune(istatCode: string, name: string, slug: string, phone: string, weeklyHours: Comune['calendar']['weeklyHours']): Comune {
  return {
    istatCode,
    name,
    province: 'MI',
    ambitoId: AMBITO_BOLLATESE.id,
    patron: null,
    socialServices: {
      officeName: `Servizi sociali del Comune di ${name}`,
      phone,
      email: `servizi.sociali.${slug}@example.org`,
      demo: true,
    },
    calendar: { comuneCode: istatCode, timeZone: TIME_ZONE, weeklyHours, patronDays: [], extraClosures: [] },
    notes: 'Dati dimostrativi: santo patrono e giorno di chiusura degli uffici da completare con il Comune.',
  };
}

export const COMUNI_BOLLATESE: Comune[] = [
  comune('015027', 'Bollate', 'bollate', '+39 02 0000 0201', demoHours({ open: '08:30', close: '12:30' }, { 1: { open: '14:00', close: '17:00' }, 3: { open: '14:00', close: '17:00' } })),
  comune('015250', 'Baranzate', 'baranzate', '+39 02 0000 0202', demoHours({ open: '09:00', close: '12:30' }, { 2: { open: '14:30', close: '17:30' } })),
  comune('015076', 'Cesate', 'cesate', '+39 02 0000 0203', demoHours({ open: '09:00', close: '12:00' }, { 4: { open: '14:30', close: '18:00' } })),
  comune('015105', 'Garbagnate Milanese', 'garbagnate-milanese', '+39 02 0000 0204', demoHours({ open: '08:45', close: '12:30' }, { 2: { open: '14:00', close: '17:00' }, 4: { open: '14:00', close: '17:00' } })),
  comune('015157', 'Novate Milanese', 'novate-milanese', '+39 02 0000 0205', demoHours({ open: '09:00', close: '12:30' }, { 3: { open: '14:00', close: '18:00' } })),
  comune('015166', 'Paderno Dugnano', 'paderno-dugnano', '+39 02 0000 0206', demoHours({ open: '08:30', close: '12:30' }, { 1: { open: '14:00', close: '16:30' }, 4: { open: '14:00', close: '16:30' } })),
  comune('015206', 'Senago', 'senago', '+39 02 0000 0207', demoHours({ open: '09:00', close: '12:00' }, { 2: { open: '15:00', close: '18:00' } })),
  comune('015213', 'Solaro', 'solaro', '+39 02 0000 0208', demoHours({ open: '09:00', close: '12:30' }, { 4: { open: '14:00', close: '17:30' } })),
];
