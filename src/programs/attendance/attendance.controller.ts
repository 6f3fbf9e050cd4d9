import { Controller, Get, Param, Put, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuditRead } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { ZodBody } from '../../common/http/zod-params.js';
import { actorOf } from '../shared/actor.js';
import { attendanceInput, type AttendanceInput } from './attendance.schema.js';
import { RecordAttendanceService } from './record-attendance.service.js';
import type { RecordedAttendance } from './session-roster.js';

const view = (rows: RecordedAttendance[]) =>
  rows.map((r) => ({ person: r.person, role: r.role, patientId: r.patientId, enrolmentId: r.enrolmentId, status: r.status, recordedAt: r.recordedAt, recordedBy: r.recordedBy }));

/** Attendance per session; a clinician records and sees only the patient in context (and their caregivers). */
@ApiTags('programs')
@Controller('api/sessions')
export class AttendanceController {
  constructor(private readonly attendance: RecordAttendanceService) {}

  @Put(':id/attendance')
  @Roles('coordinator', 'clinician')
  @ApiOperation({ summary: "Record a session's attendance {attendance: [{person: Patient/… | RelatedPerson/…, status: attended|absent|excused}]}" })
  async record(@Param('id') id: string, @ZodBody(attendanceInput) body: AttendanceInput, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return view(await this.attendance.record(id, body, actorOf(user, req)));
  }

  @Get(':id/attendance')
  @Roles('coordinator', 'clinician')
  @AuditRead('attendance.read', { resourceType: 'Appointment', idParam: 'id', patients: [{ result: 'patientId' }] })
  async list(@Param('id') id: string, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return view(await this.attendance.list(id, actorOf(user, req)));
  }
}
