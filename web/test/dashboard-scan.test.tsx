import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TemporalScanWarning } from '../src/pages/Dashboard';

afterEach(cleanup);

describe('TemporalScanWarning', () => {
  it('says in Italian since when Temporal cannot be reached and that engine-side stuck cases are not visible', () => {
    // 09:05 UTC on a winter day is 10:05 in Rome.
    render(<TemporalScanWarning status={{ ok: false, lastSuccessAt: '2026-01-15T09:04:30Z', failingSince: '2026-01-15T09:05:00Z', error: { class: 'ServiceError', code: 'UNAVAILABLE' } }} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Temporal non raggiungibile dalle 10:05: i casi bloccati lato motore non sono visibili.');
    expect(alert.textContent).toContain('Ultimo controllo riuscito');
  });
});
