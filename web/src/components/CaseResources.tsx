import { useState } from 'react';
import { ApiError, type ResourceHoldList } from '../api';
import { formatDateTime } from '../format';
import { useLoad } from '../hooks';
import { useSession } from '../session';
import { Alert } from './ui';

/**
 * The directory resources a case's interventions took, on the case page: a unit still in use can
 * be given back ("Libera il posto": the person left the bed, the transport is free). Closing the
 * case gives every unit back by itself.
 */

const RELEASED: Record<string, string> = { released: 'liberato', case_closed: 'liberato alla chiusura del caso', rejected: 'non attivato' };

export function CaseResources({ caseId }: { caseId: string }) {
  const { api, session } = useSession();
  const canRelease = session.user.role === 'emergency_operator' || session.user.role === 'coordinator';
  const holds = useLoad(() => (canRelease ? api.get<ResourceHoldList>(`/api/resources/holds?caseId=${encodeURIComponent(caseId)}`) : Promise.resolve({ items: [] })), [api, caseId, canRelease]);
  const [verdict, setVerdict] = useState<{ tone: 'success' | 'danger'; text: string }>();
  const items = (holds.data?.items ?? []).filter((h) => h.status !== 'released' || h.releaseReason !== 'rejected');
  if (!canRelease || items.length === 0) return null;

  async function release(taskId: string, resourceId: string, name: string) {
    setVerdict(undefined);
    try {
      await api.post(`/api/resources/${encodeURIComponent(resourceId)}/release`, { taskId });
      setVerdict({ tone: 'success', text: `Posto liberato: ${name}` });
    } catch (err) {
      setVerdict({ tone: 'danger', text: err instanceof ApiError ? err.message : String(err) });
    }
    await holds.reload();
  }

  return (
    <section className="card card-body shadow-sm mb-3" aria-labelledby="case-resources-title">
      <h2 id="case-resources-title" className="h5">Risorse della rete in uso</h2>
      {verdict && <Alert tone={verdict.tone} title={verdict.text} />}
      <ul className="list-unstyled mb-0" data-testid="case-resources">
        {items.map((h) => (
          <li key={`${h.taskId}-${h.resourceId}`} className="d-flex flex-wrap align-items-center gap-2 mb-1">
            <span>
              <strong>{h.resourceName}</strong> – dal {formatDateTime(h.heldAt)}
              {h.status === 'released' && `, ${RELEASED[h.releaseReason ?? ''] ?? 'liberato'} il ${formatDateTime(h.releasedAt)}`}
            </span>
            {h.status === 'confirmed' && (
              <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => void release(h.taskId, h.resourceId, h.resourceName)} aria-label={`Libera il posto: ${h.resourceName}`}>
                Libera il posto
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
