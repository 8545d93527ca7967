import type { UiSchema, WidgetProps } from '@rjsf/utils';
import type { ResourceItem } from '../api';
import { capacityUnitLabel, resourceTypeLabel } from '../labels';

/**
 * The intervention form picks its resources from the network directory: the "Risorsa della rete"
 * field of each activated resource is a list of the active resources with their free units; the
 * type follows the chosen resource and the activation time defaults to now. A resource with no
 * free unit cannot be chosen; the server holds one unit of the chosen one when the form is sent.
 */

export function availabilityText(r: ResourceItem): string {
  if (r.available === null || r.capacity === null) return 'disponibilità non contata';
  if (r.available === 0) return 'nessun posto libero';
  return `${r.available} liberi su ${r.capacity} ${capacityUnitLabel(r.capacityUnit)}`;
}

function ResourceWidget({ id, value, onChange, disabled, readonly, options }: WidgetProps) {
  const resources = (options.resources ?? []) as ResourceItem[];
  const current = typeof value === 'string' ? value : '';
  return (
    <select id={id} className="form-select" value={current} disabled={disabled || readonly} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} data-testid="resource-picker">
      <option value="">Nessuna: risorsa fuori dalla rete</option>
      {resources.map((r) => (
        <option key={r.id} value={r.id} disabled={r.available === 0 && r.id !== current}>
          {`${r.name} – ${resourceTypeLabel(r.type)}, ${r.comuneName ?? 'sovracomunale'}: ${availabilityText(r)}`}
        </option>
      ))}
    </select>
  );
}

export function resourcePickerUiSchema(resources: ResourceItem[]): UiSchema {
  return { resourcesActivated: { items: { resourceId: { 'ui:widget': ResourceWidget, 'ui:options': { resources } } } } };
}

interface Activation {
  resourceId?: string;
  type?: string;
  activatedAt?: string;
}

/** The form data with each chosen resource's type filled in, and its activation time when empty. */
export function withDirectoryChoices(data: Record<string, unknown>, resources: ResourceItem[], now: () => string = () => new Date().toISOString()): Record<string, unknown> {
  const list = data.resourcesActivated;
  if (!Array.isArray(list)) return data;
  let changed = false;
  const filled = (list as Activation[]).map((a) => {
    const r = a?.resourceId === undefined ? undefined : resources.find((x) => x.id === a.resourceId);
    if (r === undefined || (a.type === r.type && a.activatedAt)) return a;
    changed = true;
    return { ...a, type: r.type, activatedAt: a.activatedAt || now() };
  });
  return changed ? { ...data, resourcesActivated: filled } : data;
}
