/**
 * Outbox ordering keys (`OutboxService.enqueue`'s `patientKey`): one patient's writes go out in order; one
 * cohort's shared Appointments go out in order.
 */
export const outboxKey = {
  patient: (patientId: string) => `Patient/${patientId}`,
  cohort: (cohortId: string) => `cohort/${cohortId}`,
};
