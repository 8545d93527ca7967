import type { Role } from '../domain';

/** Delivery of notifications to on-call staff (SMS/e-mail gateways are outside the system). */
export interface Notification {
  id: string;
  caseId: string;
  kind: string;
  recipientRole: Role;
  comuneCode?: string;
  taskId?: string;
}

export interface Notifier {
  send(notification: Notification): Promise<void>;
}

/** Default: notifications stay in the database outbox, read by the console's task inbox. */
export const outboxOnlyNotifier: Notifier = {
  send: () => Promise.resolve(),
};
