import { describe, expect, it } from 'vitest';
import type { ResourceItem } from '../src/api';
import { availabilityText, withDirectoryChoices } from '../src/components/ResourcePicker';

const resource = (over: Partial<ResourceItem>): ResourceItem => ({
  id: 'rhodense-dormitorio-rho',
  type: 'emergency_bed',
  name: 'Dormitorio',
  comuneCode: '015182',
  comuneName: 'Rho',
  ambitoId: 'rhodense',
  address: null,
  confidential: false,
  capacity: 20,
  capacityUnit: 'posti',
  contacts: { phone: '+39 02 0000 1001' },
  notes: null,
  active: true,
  demo: true,
  available: 3,
  inUse: 0,
  availability: { note: null, updatedAt: null, updatedBy: null },
  updatedAt: '2026-12-01T20:00:00.000Z',
  ...over,
});

describe('the directory picker of the intervention form', () => {
  it('says the free units in words', () => {
    expect(availabilityText(resource({}))).toBe('3 liberi su 20 posti');
    expect(availabilityText(resource({ available: 0 }))).toBe('nessun posto libero');
    expect(availabilityText(resource({ available: null, capacity: null, capacityUnit: null }))).toBe('disponibilità non contata');
  });

  it('fills the type of a chosen resource and its activation time when empty; leaves the rest alone', () => {
    const resources = [resource({}), resource({ id: 'rhodense-trasporto-sociale', type: 'transport' })];
    const data = {
      outcome: 'placed',
      resourcesActivated: [{ resourceId: 'rhodense-trasporto-sociale' }, { type: 'health_service', activatedAt: '2026-12-01T21:00:00.000Z' }],
    };
    expect(withDirectoryChoices(data, resources, () => '2026-12-01T22:00:00.000Z')).toEqual({
      outcome: 'placed',
      resourcesActivated: [
        { resourceId: 'rhodense-trasporto-sociale', type: 'transport', activatedAt: '2026-12-01T22:00:00.000Z' },
        { type: 'health_service', activatedAt: '2026-12-01T21:00:00.000Z' },
      ],
    });
    const untouched = { resourcesActivated: [{ resourceId: 'rhodense-dormitorio-rho', type: 'emergency_bed', activatedAt: '2026-12-01T21:00:00.000Z' }] };
    expect(withDirectoryChoices(untouched, resources)).toBe(untouched);
  });
});
