import type { CapacityUnit, NetworkResourceType } from '../domain';

/** The network-resource directory as the API answers it (administration and operators' list). */
export interface ResourceItem {
  id: string;
  type: NetworkResourceType;
  name: string;
  comuneCode: string | null;
  comuneName: string | null;
  ambitoId: string | null;
  address: string | null;
  confidential: boolean;
  capacity: number | null;
  capacityUnit: CapacityUnit | null;
  contacts: { phone: string; email?: string; hours?: string };
  notes: string | null;
  active: boolean;
  demo: boolean;
  /** Free units now; null when the resource's capacity is not counted (e.g. a phone service). */
  available: number | null;
  /** Units held by interventions not yet released. */
  inUse: number;
  availability: { note: string | null; updatedAt: string | null; updatedBy: { id: string; displayName: string } | null };
  updatedAt: string;
}

export interface ResourceList {
  items: ResourceItem[];
}

/** What releasing an intervention's unit answers. */
export interface ResourceReleaseResult {
  resource: ResourceItem;
  released: { taskId: string; resourceId: string; caseId: string };
}
