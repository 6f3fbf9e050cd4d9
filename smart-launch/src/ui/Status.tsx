import type { ComponentChildren } from 'preact';
import type { ApiError } from '../lib/api';
import { fieldErrors, issueText } from '../lib/outcome';

/**
 * A failure, announced at once (role=alert), with every issue the server gave — or, on a patient's or caregiver's
 * page, `lines` in their words and language instead of the server's staff wording (lib/patient-problems.ts). Given
 * `lines` (even none), the server's wording is never shown.
 */
export function ErrorBox({ error, title = 'That did not work', lines: own }: { error: ApiError | Error | null | undefined; title?: string; lines?: string[] }) {
  if (!error) return null;
  const lines = own ?? serverLines(error);
  return (
    <div class="error-summary" role="alert">
      <p class="error-title">{title}</p>
      {lines.length > 0 && (
        <ul>
          {lines.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** What the server said, for staff: its field errors, else each issue's text; a fault on the page, its message. */
function serverLines(error: ApiError | Error): string[] {
  const outcome = 'outcome' in error ? (error as ApiError).outcome : null;
  if (!outcome) return [error.message];
  const f = fieldErrors(outcome);
  const lines = [...f.general, ...Object.entries(f.fields).map(([k, v]) => `${k}: ${v.join(' ')}`)];
  return lines.length ? lines : outcome.issue.map(issueText);
}

/** A polite message for things that went well ("Attendance saved."). */
export function Notice({ children }: { children?: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {children}
    </p>
  );
}

/** "Loading {what}…"; `text` replaces the whole sentence (a page in the person's language). */
export function Loading({ what, text }: { what?: string; text?: string }) {
  return (
    <p class="loading" role="status">
      {text ?? `Loading ${what}…`}
    </p>
  );
}
