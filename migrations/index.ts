import { AuditLog1795000000000 } from './1795000000000-audit-log.js';
import { Smart1795000001000 } from './1795000001000-smart.js';
import { Outbox1795000003000 } from './1795000003000-outbox.js';
import { Programs1795000004000 } from './1795000004000-programs.js';
import { Questionnaires1795000005000 } from './1795000005000-questionnaires.js';
import { WriteBackRegistration1795000006000 } from './1795000006000-write-back-registration.js';
import { SafetyEscalation1795000007000 } from './1795000007000-safety-escalation.js';
import { OneOpenReferral1795000008000 } from './1795000008000-one-open-referral.js';
import { AuditCorrelation1795000009000 } from './1795000009000-audit-correlation.js';
import { SandboxLeavesProductSchema1795000010000 } from './1795000010000-sandbox-leaves-product-schema.js';
import { ReportViews1795000011000 } from './1795000011000-report-views.js';
import { OneResponseAssignmentLink1795000012000 } from './1795000012000-one-response-assignment-link.js';
import { ResponseLanguage1795000050000 } from './1795000050000-response-language.js';
import { LaunchTaskCompletion1795000060000 } from './1795000060000-launch-task-completion.js';
import { DependentOutboxEntries1795000061000 } from './1795000061000-dependent-outbox-entries.js';
import { SessionEncounterWithPatient1795000062000 } from './1795000062000-session-encounter-with-patient.js';
import { ScoreLanguage1795000063000 } from './1795000063000-score-language.js';
import { OutboxTakeovers1795000064000 } from './1795000064000-outbox-takeovers.js';
import { OutboxDeliveredIndex1795000065000 } from './1795000065000-outbox-delivered-index.js';
import { RolesByRecordKind1795000066000 } from './1795000066000-roles-by-record-kind.js';

/** Every migration, in order. Listed as classes (not globs) so the ESM build and the CLI find them. */
export const migrations = [AuditLog1795000000000, Smart1795000001000, Outbox1795000003000, Programs1795000004000, Questionnaires1795000005000, WriteBackRegistration1795000006000, SafetyEscalation1795000007000, OneOpenReferral1795000008000, AuditCorrelation1795000009000, SandboxLeavesProductSchema1795000010000, ReportViews1795000011000, OneResponseAssignmentLink1795000012000, ResponseLanguage1795000050000, LaunchTaskCompletion1795000060000, DependentOutboxEntries1795000061000, SessionEncounterWithPatient1795000062000, ScoreLanguage1795000063000, OutboxTakeovers1795000064000, OutboxDeliveredIndex1795000065000, RolesByRecordKind1795000066000];
