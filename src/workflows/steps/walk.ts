import { condition, proxyActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../activity-types';
import type { CaseState, HumanTask, Reminder } from '../model';
import type { TaskType } from './registry';
import { recordDecision, ensureTask } from '../state';

/**
 * Helpers the step walks share. Every walk is resumable from the state alone (tasks are created
 * once by key, one-off actions are marked in `done`, deadlines are absolute), so the protocol can
 * be cancelled at any await for continue-as-new and simply run again on the new run.
 */

export const acts = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** A task for the case owner, due in `minutes` and escalated to the coordinator if still open then. */
export function ownerTask(s: CaseState, key: string, type: TaskType, minutes: number): HumanTask {
  return ensureTask(s, key, type, {
    assigneeId: s.ownerId,
    dueMinutes: minutes,
    escalation: { trigger: 'not_completed', escalateAfterMinutes: minutes },
  });
}

export function finished(task: HumanTask): Promise<void> {
  return condition(() => task.status === 'completed' || task.status === 'cancelled');
}

/** Waits until `pred` holds or the absolute deadline passes; true if `pred` held. */
export async function waitUntil(pred: () => boolean, deadlineIso: string): Promise<boolean> {
  const ms = Date.parse(deadlineIso) - Date.now();
  if (ms <= 0) return pred();
  return condition(pred, ms);
}

export async function once(s: CaseState, marker: string, action: () => Promise<void>): Promise<void> {
  if (s.done[marker]) return;
  await action();
  s.done[marker] = true;
}

export function addReminder(s: CaseState, reminder: Reminder): void {
  if (s.reminders.some((r) => r.id === reminder.id)) return;
  s.reminders.push(reminder);
  recordDecision(s, 'system', 'reminder_scheduled', { reminderId: reminder.id, kind: reminder.kind, dueAt: reminder.dueAt });
}
