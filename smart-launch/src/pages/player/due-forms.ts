import { api } from '../../lib/api';
import type { Assignment } from '../patient/FormsPanel';

// The due-forms API as the patient's own screens use it: every form says whether it can be answered today.

/** `open` (its window has opened, overdue included), `not-yet-open` (cannot be started), `closed` (done or cancelled). */
export type Availability = 'open' | 'not-yet-open' | 'closed';
export interface DueForm extends Assignment {
  availability: Availability;
}

export const dueForms = {
  /** The signed-in person's own forms, open ones first (GET /api/questionnaire-assignments orders them). */
  list: () => api.get<DueForm[]>('/api/questionnaire-assignments'),
  get: (id: string) => api.get<DueForm>(`/api/questionnaire-assignments/${encodeURIComponent(id)}`),
};
