import { Controller, Get, Headers, Param, Put, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditRead } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { ZodBody } from '../../common/http/zod-params.js';
import { actorOf } from '../shared/actor.js';
import { ifMatchTags, weakEtag } from '../shared/precondition.js';
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
  @ApiHeader({ name: 'If-Match', required: false, description: 'W/"<revision>": the ETag read with the attendance; 412 if the session changed since' })
  async record(
    @Param('id') id: string,
    @ZodBody(attendanceInput) body: AttendanceInput,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() user: SessionUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { rows, tag } = await this.attendance.record(id, body, actorOf(user, req), ifMatchTags(ifMatch));
    res.setHeader('ETag', weakEtag(tag));
    return view(rows);
  }

  @Get(':id/attendance')
  @Roles('coordinator', 'clinician')
  @AuditRead('attendance.read', { resourceType: 'Appointment', idParam: 'id', patients: [{ result: 'patientId' }] })
  async list(@Param('id') id: string, @CurrentUser() user: SessionUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { rows, tag } = await this.attendance.list(id, actorOf(user, req));
    res.setHeader('ETag', weakEtag(tag));
    return view(rows);
  }
}
