// The smart module's reporting contract: the read-only view of EHR registrations (the clinics) that reports
// may read to choose a clinic, never the registry's table. Created by migrations/1795000011000-report-views.ts
// from its own frozen copy of the SQL: changing it means a new migration that re-creates it, then the same SELECT
// here (src/read-models.spec.ts checks both agree).

/** Each view's name and the SELECT it is defined as. */
export const SMART_REPORT_VIEWS: readonly { name: string; select: string }[] = [
  {
    // The clinics that may be reported on: enabled registrations, oldest first by registered_at.
    name: 'smart_report_registrations',
    select: `
      SELECT r.id AS registration_id, r.issuer, r.created_at AS registered_at
      FROM ehr_registration r WHERE r.enabled`,
  },
];
