import { forms } from '../../../../scripts/lib/case-driver';
import { until } from '../../../../test/helpers/case-handle';
import { COORDINATOR, LAINATE, officeOpensIn12Hours, OPERATOR, socialWorker, throughRiskCheck, useProtocolHarness } from '../../../../test/helpers/protocol-harness';
import type { CaseHandle } from '../../../../test/helpers/case-handle';

/** Steps 7–8, handover and closure: at the office opening to the Comune, or outside the Ambito by the coordinator. */
describe('handover', () => {
  const h = useProtocolHarness();

  async function toHandover(c: CaseHandle) {
    await throughRiskCheck(c, { withoutShelter: true });
    await c.complete('intervention', OPERATOR, forms.interventionPlaced());
    return until(c, (x) => x.status === 'awaiting_handover', 'awaiting handover');
  }

  it("waits for the office opening, then the Comune's social worker takes the case on", async () => {
    const c = await h.open();
    const waiting = await toHandover(c);
    expect(waiting.tasks.some((t) => t.type === 'handover_ack')).toBe(false);
    await h.skipMinutes(12 * 60 + 1);
    const ack = await c.task('handover_ack');
    expect(ack).toMatchObject({ candidateRole: 'social_worker', comuneCode: LAINATE });
    await c.run('handover_ack', socialWorker(), forms.handoverAck);
    const v = await c.result();
    expect(v.closure).toMatchObject({ outcome: 'taken_on_by_comune', byId: socialWorker().userId });
  });

  it('closes as resolved with the reason when the Comune does not take the case on', async () => {
    const c = await h.open();
    await toHandover(c);
    await h.skipMinutes(12 * 60 + 1);
    await c.run('handover_ack', socialWorker(), forms.handoverDeclined);
    const v = await c.result();
    expect(v.closure).toMatchObject({ outcome: 'resolved', reason: 'Già seguito da altro servizio' });
  });

  it('hands a case for a Comune outside the Ambito to the coordinator, without waiting', async () => {
    h.activities.handoverTarget = (input) => ({ comuneCode: '015146', external: true, openingAt: input.notBefore });
    try {
      const c = await h.open({ residenceComuneCode: '015146' });
      await toHandover(c);
      expect((await c.task('external_handover')).candidateRole).toBe('coordinator');
      await c.run('external_handover', COORDINATOR, forms.externalHandover());
      const v = await c.result();
      expect(v.closure).toMatchObject({ outcome: 'handed_over_external', byId: COORDINATOR.userId });
    } finally {
      h.activities.handoverTarget = officeOpensIn12Hours;
    }
  });
});
