/** Queue names (verb-noun, house style). Both the API and the workers import these. */
export const QUEUES = {
  enrichItems: "enrich-items",
  updateRollups: "update-rollups",
  backfillSearch: "backfill-search",
  sweepPending: "sweep-pending",
  evaluateAlerts: "evaluate-alerts",
  deliverNotifications: "deliver-notifications",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
