// FHIR OperationOutcome → what a form shows: one summary plus messages keyed by the field they concern.

export interface OutcomeIssue {
  severity?: string;
  code?: string;
  diagnostics?: string;
  details?: { text?: string; coding?: { code?: string }[] };
  expression?: string[];
}
export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: OutcomeIssue[];
}

export function isOutcome(body: unknown): body is OperationOutcome {
  return !!body && typeof body === 'object' && (body as { resourceType?: unknown }).resourceType === 'OperationOutcome';
}

export function issueText(i: OutcomeIssue): string {
  return i.diagnostics ?? i.details?.text ?? i.code ?? 'Something went wrong.';
}

/**
 * The field an issue is about. Server expressions are FHIRPath for questionnaire answers
 * (`QuestionnaireResponse.item.where(linkId='phq9-9').answer`) or a JSON path for our own bodies
 * (`reason`, `consent.date`, `attendance[2].status`): both reduce to a key a form can look up.
 */
export function fieldOf(expression: string): string {
  const linkId = /linkId\s*=\s*'([^']+)'/g;
  let last: string | undefined;
  for (let m = linkId.exec(expression); m; m = linkId.exec(expression)) last = m[1];
  if (last) return last;
  return expression.replace(/^[A-Z][A-Za-z]+\./, '').replace(/\[(\d+)\]/g, '.$1');
}

export interface FieldErrors {
  /** Messages not tied to a field (shown in the summary only). */
  general: string[];
  /** field key → messages. */
  fields: Record<string, string[]>;
}

export function fieldErrors(outcome: OperationOutcome | null | undefined): FieldErrors {
  const out: FieldErrors = { general: [], fields: {} };
  for (const i of outcome?.issue ?? []) {
    if (i.severity === 'information') continue;
    const exprs = i.expression ?? [];
    if (!exprs.length) out.general.push(issueText(i));
    for (const e of exprs) (out.fields[fieldOf(e)] ??= []).push(issueText(i));
  }
  return out;
}

/** Whether a failed call's OperationOutcome carries our error code (`issue.details.coding`, urn:als-wellness:error-code). */
export function hasErrorCode(error: unknown, code: string): boolean {
  const outcome = error && typeof error === 'object' && 'outcome' in error ? (error as { outcome: unknown }).outcome : null;
  return isOutcome(outcome) && outcome.issue.some((i) => i.details?.coding?.some((c) => c.code === code));
}
