import type { ComponentChildren } from 'preact';
import type { ApiError } from '../lib/api';
import { fieldErrors, issueText } from '../lib/outcome';

/** A failure, announced at once (role=alert), with every issue the server gave. */
export function ErrorBox({ error, title = 'That did not work' }: { error: ApiError | Error | null | undefined; title?: string }) {
  if (!error) return null;
  const outcome = 'outcome' in error ? (error as ApiError).outcome : null;
  const f = fieldErrors(outcome);
  const lines = outcome ? [...f.general, ...Object.entries(f.fields).map(([k, v]) => `${k}: ${v.join(' ')}`)] : [error.message];
  return (
    <div class="error-summary" role="alert">
      <p class="error-title">{title}</p>
      <ul>
        {(lines.length ? lines : outcome?.issue.map(issueText) ?? []).map((l, i) => (
          <li key={i}>{l}</li>
        ))}
      </ul>
    </div>
  );
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
