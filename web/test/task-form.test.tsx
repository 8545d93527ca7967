import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TaskForm } from '../src/components/TaskForm';
import { apiFormSchema } from './schemas';

afterEach(cleanup);

describe('TaskForm rendered from the API form schema', () => {
  it('labels fields with the Italian descriptions and enum values with Italian names', () => {
    render(<TaskForm schema={apiFormSchema('intervention')} onSubmit={() => undefined} />);
    expect(screen.getByLabelText(/Esito/)).toBeTruthy();
    expect(screen.getByRole('option', { name: 'Collocamento effettuato' })).toBeTruthy();
    expect(screen.getByRole('option', { name: 'Aiuto rifiutato' })).toBeTruthy();
    expect(screen.getByText('Risorse attivate')).toBeTruthy();
    expect(screen.getByLabelText('Serve un nuovo controllo di benessere')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Completa l’attività' })).toBeTruthy();
    expect(screen.queryByText(/^(Submit|Add|Errors)$/)).toBeNull();
  });

  it('blocks an empty required field with an Italian message and does not submit', async () => {
    const onSubmit = vi.fn();
    render(<TaskForm schema={apiFormSchema('take_charge')} onSubmit={onSubmit} />);
    await userEvent.click(screen.getByRole('button', { name: 'Completa l’attività' }));
    expect(onSubmit).not.toHaveBeenCalled();
    const summary = screen.getByRole('alert');
    expect(within(summary).getByText(/Tempo stimato di arrivo sul posto \(minuti\): campo obbligatorio/)).toBeTruthy();
  });

  it('gives range messages in Italian', async () => {
    const onSubmit = vi.fn();
    render(<TaskForm schema={apiFormSchema('take_charge')} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByLabelText(/Tempo stimato di arrivo/), { target: { value: '999' } });
    await userEvent.click(screen.getByRole('button', { name: 'Completa l’attività' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getAllByText(/il valore massimo è 720/).length).toBeGreaterThan(0);
  });

  it('submits valid data as the API expects it (numbers as numbers, booleans defaulted to false)', async () => {
    const onSubmit = vi.fn();
    render(<TaskForm schema={apiFormSchema('handover_ack')} onSubmit={onSubmit} />);
    await userEvent.click(screen.getByLabelText('Il servizio sociale prende in carico il caso'));
    await userEvent.type(screen.getByLabelText(/Assistente sociale di riferimento/), 'Dott.ssa Verdi');
    await userEvent.click(screen.getByRole('button', { name: 'Completa l’attività' }));
    expect(onSubmit).toHaveBeenCalledWith({ takenOn: true, caseWorkerName: 'Dott.ssa Verdi' });

    cleanup();
    const risk = vi.fn();
    render(<TaskForm schema={apiFormSchema('risk_check')} onSubmit={risk} />);
    await userEvent.click(screen.getByRole('button', { name: 'Completa l’attività' }));
    const form = risk.mock.calls[0]?.[0] as { questions: Record<string, unknown> };
    expect(form.questions.healthDanger).toBe(false);
    expect(form.questions.childrenCount).toBe(0);
  });

  it('shows the server’s verdict next to the field it concerns', () => {
    render(
      <TaskForm
        schema={apiFormSchema('risk_check')}
        onSubmit={() => undefined}
        serverIssues={[{ path: 'emergencyServices', message: "con pericolo per la salute va registrata l'attivazione del 112/118" }]}
      />,
    );
    expect(screen.getAllByText("con pericolo per la salute va registrata l'attivazione del 112/118").length).toBeGreaterThan(0);
  });
});
