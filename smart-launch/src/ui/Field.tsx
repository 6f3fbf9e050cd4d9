import type { ComponentChildren } from 'preact';
import type { ApiError } from '../lib/api';
import { fieldErrors } from '../lib/outcome';

// Labelled form fields whose server errors (OperationOutcome issue.expression) appear beside them and
// are tied to the control with aria-describedby, so a screen reader reads the problem with the field.

/** The server's messages per field key (`reason`, `consent.date`, `attendance.2.status`). */
export function errorsOf(error: ApiError | Error | null | undefined): Record<string, string> {
  if (!error || !('outcome' in error)) return {};
  const f = fieldErrors((error as ApiError).outcome);
  return Object.fromEntries(Object.entries(f.fields).map(([k, v]) => [k, v.join(' ')]));
}

/** Props for a control: its id, and its error when there is one. */
export function control(id: string, error?: string, hintId?: string) {
  const described = [hintId, error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { id, name: id, 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': described || undefined };
}

export function Field(p: { id: string; label: string; error?: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      {p.hint && (
        <p class="hint" id={`${p.id}-hint`}>
          {p.hint}
        </p>
      )}
      {p.children}
      <p class="field-error" id={`${p.id}-error`}>
        {p.error ?? ''}
      </p>
    </div>
  );
}
