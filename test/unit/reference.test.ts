import { describeOpening, isOfficeOpen, nextOpening } from '../../src/calendar';
import {
  comuneSchema,
  loadReferenceData,
  networkResourceSchema,
  referenceData,
  referenceDataSchema,
  type Comune,
} from '../../src/reference';

const RHODENSE_ISTAT = {
  Arese: '015009',
  Cornaredo: '015087',
  Lainate: '015116',
  Pero: '015170',
  'Pogliano Milanese': '015176',
  'Pregnana Milanese': '015179',
  Rho: '015182',
  'Settimo Milanese': '015211',
  Vanzago: '015229',
};

const BOLLATESE_ISTAT = {
  Bollate: '015027',
  Baranzate: '015250',
  Cesate: '015076',
  'Garbagnate Milanese': '015105',
  'Novate Milanese': '015157',
  'Paderno Dugnano': '015166',
  Senago: '015206',
  Solaro: '015213',
};

function comuneNamed(name: string): Comune {
  const found = referenceData.comuni.find((c) => c.name === name);
  if (!found) throw new Error(`no Comune ${name}`);
  return found;
}

describe('reference data', () => {
  it('parses against the schemas', () => {
    expect(() => loadReferenceData()).not.toThrow();
  });

  it('has the 9 Comuni of the Ambito Rhodense and the 8 of the Bollatese with their ISTAT codes, all unique', () => {
    const data = loadReferenceData();
    expect(data.ambiti).toEqual([
      { id: 'rhodense', name: 'Ambito territoriale del Rhodense', region: 'Lombardia' },
      { id: 'bollatese', name: 'Ambito territoriale del Bollatese', region: 'Lombardia' },
    ]);
    expect(data.comuni).toHaveLength(17);
    const of = (ambitoId: string) => Object.fromEntries(data.comuni.filter((c) => c.ambitoId === ambitoId).map((c) => [c.name, c.istatCode]));
    expect(of('rhodense')).toEqual(RHODENSE_ISTAT);
    expect(of('bollatese')).toEqual(BOLLATESE_ISTAT);
    expect(new Set(data.comuni.map((c) => c.istatCode)).size).toBe(17);
    for (const comune of data.comuni) {
      expect(comune.province).toBe('MI');
      expect(comune.calendar.comuneCode).toBe(comune.istatCode);
      expect(comune.calendar.timeZone).toBe('Europe/Rome');
    }
  });

  it('keeps patron days in the calendar in step with the patron record, unverified ones flagged', () => {
    for (const comune of referenceData.comuni) {
      if (comune.patron === null) {
        expect(comune.calendar.patronDays).toEqual([]);
        expect(comune.notes).toBeDefined();
      } else {
        expect(comune.calendar.patronDays).toEqual([
          { month: comune.patron.month, day: comune.patron.day, name: comune.patron.name, verified: comune.patron.verified },
        ]);
        if (!comune.patron.verified) expect(comune.notes).toBeDefined();
      }
    }
    expect(comuneNamed('Rho').patron).toMatchObject({ name: 'San Vittore', month: 5, day: 8, verified: true });
  });

  it('uses only demo contacts for offices and resources', () => {
    for (const comune of referenceData.comuni) {
      expect(comune.socialServices.demo).toBe(true);
      expect(comune.socialServices.email).toMatch(/@example\.org$/);
    }
    for (const resource of referenceData.resources) {
      expect(resource.demo).toBe(true);
      if (resource.contacts.email) expect(resource.contacts.email).toMatch(/@example\.org$/);
    }
  });

  it('covers every resource type, and never stores the address of a protected shelter', () => {
    const types = new Set(referenceData.resources.map((r) => r.type));
    expect([...types].sort()).toEqual(referenceData.resourceTypes.map((t) => t.code).sort());
    const shelter = referenceData.resources.find((r) => r.type === 'women_shelter');
    expect(shelter).toMatchObject({ confidentialAddress: true, address: null });
    const leaky = { ...shelter, address: 'Via Segreta 1' };
    expect(networkResourceSchema.safeParse(leaky).success).toBe(false);
  });

  it('lists the reporting forces and target categories as codes with Italian labels', () => {
    expect(referenceData.reportingForces.map((f) => f.code)).toEqual([
      'carabinieri',
      'polizia_di_stato',
      'polizia_locale',
      'guardia_di_finanza',
      'polizia_penitenziaria',
    ]);
    expect(referenceData.targetCategories.map((c) => c.code)).toEqual(
      expect.arrayContaining(['homeless', 'msna', 'women_violence', 'frail_without_caregiver']),
    );
    expect(referenceData.emergencyNumbers.map((n) => n.number)).toEqual(['112', '118', '1522', '114']);
  });

  it('rejects duplicates, dangling references and broken calendars', () => {
    const first = referenceData.comuni[0];
    if (!first) throw new Error('no Comuni');
    const duplicated = { ...referenceData, comuni: [...referenceData.comuni, first] };
    const result = referenceDataSchema.safeParse(duplicated);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain("duplicate ISTAT code '015009'");

    const orphan = { ...referenceData, resources: [{ ...referenceData.resources[0], ambitoId: 'altrove' }] };
    expect(referenceDataSchema.safeParse(orphan).success).toBe(false);

    const backwards = { ...first, calendar: { ...first.calendar, weeklyHours: { 1: [{ open: '12:00', close: '09:00' }] } } };
    const parsed = comuneSchema.safeParse(backwards);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('12:00-09:00');
  });
});

describe('seed calendars with the calendar functions', () => {
  const lainate = comuneNamed('Lainate').calendar;

  it('Saturday-night report in Lainate ⇒ Monday morning', () => {
    // Saturday 21 November 2026, 23:10 in Rome.
    expect(isOfficeOpen(lainate, '2026-11-21T22:10:00Z')).toBe(false);
    expect(describeOpening(lainate, '2026-11-21T22:10:00Z')).toBe('lunedì 23 novembre 2026, 09:00');
  });

  it('every Comune opens within a week of a Saturday night', () => {
    const saturdayNight = Date.parse('2026-11-21T22:10:00Z');
    for (const comune of referenceData.comuni) {
      const opening = nextOpening(comune.calendar, saturdayNight);
      expect(opening - saturdayNight).toBeLessThan(7 * 86_400_000);
    }
  });

  it("Rho is closed on San Vittore's day", () => {
    // Friday 8 May 2026 ⇒ Monday 11 May 2026, 08:30 CEST.
    expect(new Date(nextOpening(comuneNamed('Rho').calendar, '2026-05-07T18:00:00Z')).toISOString()).toBe(
      '2026-05-11T06:30:00.000Z',
    );
  });
});
