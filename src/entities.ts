import { AuditEvent } from './audit/audit-event.entity.js';
import { OutboxEntry } from './fhir/outbox-entry.entity.js';
import { programEntities } from './programs/program.entities.js';
import { questionnaireEntities } from './questionnaires/questionnaire.entities.js';
import { SigningKey } from './smart/keys/signing-key.entity.js';
import { LaunchState } from './smart/launch/launch-state.entity.js';
import { EhrRegistration } from './smart/registry/ehr-registration.entity.js';
import { AppSession } from './smart/session/app-session.entity.js';
import { AppUser } from './smart/users/app-user.entity.js';

/**
 * Every entity of the service, listed as classes (ESM cannot glob-load them): a composition root beside
 * app.module.ts, which hands it to `DatabaseModule.forRoot`, as the CLIs' bootstrap and the tests do to
 * `dataSourceOptions`. A module mounted only in some deployments (the sandbox EHR) is not listed: its
 * `TypeOrmModule.forFeature` adds its entities (autoLoadEntities).
 */
export const entities = [AuditEvent, EhrRegistration, AppUser, AppSession, LaunchState, SigningKey, OutboxEntry, ...programEntities, ...questionnaireEntities];
