import { escalateCaseUpdate } from '../../definitions';
import { COORDINATOR, OPERATOR, useProtocolHarness } from '../../../../test/helpers/protocol-harness';

/** Escalations in any step: a manual escalation opens a coordinator task, due in escalationTaskDueMinutes. */
describe('escalation', () => {
  const h = useProtocolHarness();

  it("opens a coordinator task on an operator's escalation, which the coordinator completes", async () => {
    const c = await h.open({}, { escalationTaskDueMinutes: 30 });
    await c.task('take_charge');
    await c.handle.executeUpdate(escalateCaseUpdate, { args: [{ actor: OPERATOR, reason: 'Serve un secondo operatore' }] });
    const task = await c.task('escalation');
    expect(task).toMatchObject({ candidateRole: 'coordinator', reason: 'manual', status: 'open' });
    expect(Date.parse(task.dueAt!) - Date.parse(task.createdAt)).toBe(30 * 60_000);
    const v = await c.run('escalation', COORDINATOR, { action: 'handled', notes: 'Inviato il secondo operatore' });
    expect(v.tasks.find((t) => t.id === task.id)).toMatchObject({ status: 'completed', outcome: { action: 'handled' } });
    // The answer carries this update's decisions; the whole timeline is in the case's state.
    expect(v.decisions.map((d) => d.kind)).toContain('task_completed');
    expect(v.decisions.map((d) => d.kind)).not.toContain('case_escalated');
    expect((await c.view()).decisions.map((d) => d.kind)).toEqual(expect.arrayContaining(['case_escalated', 'task_completed']));
  });
});
