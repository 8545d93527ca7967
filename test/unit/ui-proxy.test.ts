import { isReadOnlyCall, readOnlySettings } from '../../src/embedded/ui-proxy';

describe('read-only embedded Temporal UI', () => {
  it('lets reads and workflow queries through, refuses every write call', () => {
    expect(isReadOnlyCall('GET', '/api/v1/namespaces/default/workflows?query=x')).toBe(true);
    expect(isReadOnlyCall('POST', '/api/v1/namespaces/default/workflows/case-1/query/state')).toBe(true);
    expect(isReadOnlyCall('POST', '/api/v1/namespaces/default/workflows/case-1/runs/r1/query/state')).toBe(true);
    for (const path of [
      '/api/v1/namespaces/default/workflows/case-1/terminate',
      '/api/v1/namespaces/default/workflows/case-1/signal/escalate',
      '/api/v1/namespaces/default/workflows/case-1/update/escalate',
      '/api/v1/namespaces/default/workflows/case-1/reset',
      '/api/v1/namespaces/default/batch-operations/b1',
      '/api/v1/namespaces/default/workflows/case-1/query/x/../../terminate',
    ]) {
      expect(isReadOnlyCall('POST', path)).toBe(false);
    }
    expect(isReadOnlyCall('DELETE', '/api/v1/namespaces/default/schedules/s1')).toBe(false);
    expect(isReadOnlyCall('PUT', '/api/v1/namespaces/default/workflows/case-1')).toBe(false);
  });

  it('turns every write action off in the UI settings and keeps the rest', () => {
    const out = JSON.parse(readOnlySettings(JSON.stringify({ DisableWriteActions: false, WorkflowTerminateDisabled: false, Codec: { Endpoint: 'x' } }))) as Record<string, unknown>;
    expect(out).toMatchObject({ DisableWriteActions: true, WorkflowTerminateDisabled: true, WorkflowSignalDisabled: true, BatchActionsDisabled: true, Codec: { Endpoint: 'x' } });
  });
});
