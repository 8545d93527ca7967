import { cancelCaseUpdate } from '../../definitions';
import { COORDINATOR, useProtocolHarness } from '../../../../test/helpers/protocol-harness';

/** Closure by cancellation: a coordinator's cancel closes the case and cancels its open tasks. */
describe('closure', () => {
  const h = useProtocolHarness();

  it("closes a case cancelled by the coordinator with the reason, its open tasks cancelled", async () => {
    const c = await h.open();
    await c.task('take_charge');
    await c.handle.executeUpdate(cancelCaseUpdate, { args: [{ actor: COORDINATOR, reason: 'Segnalazione duplicata' }] });
    const v = await c.result();
    expect(v.closure).toMatchObject({ outcome: 'cancelled', reason: 'Segnalazione duplicata', byId: COORDINATOR.userId });
    expect(v.status).toBe('closed');
    expect(v.step).toBe('closure');
    expect(v.tasks.every((t) => t.status === 'cancelled')).toBe(true);
    expect(v.decisions[v.decisions.length - 1]?.kind).toBe('case_closed');
  });
});
