import { Attendance } from './attendance/attendance.entity.js';
import { ProgramVersion } from './catalogue/program-version.entity.js';
import { Program } from './catalogue/program.entity.js';
import { Cohort } from './cohorts/cohort.entity.js';
import { ProgramSession } from './cohorts/program-session.entity.js';
import { EnrolmentParticipant } from './enrolments/enrolment-participant.entity.js';
import { Enrolment } from './enrolments/enrolment.entity.js';
import { Referral } from './referrals/referral.entity.js';

/** The programs module's tables (migration 1795000004000), for src/entities.ts and the module. */
export const programEntities = [Program, ProgramVersion, Referral, Cohort, Enrolment, EnrolmentParticipant, ProgramSession, Attendance];
