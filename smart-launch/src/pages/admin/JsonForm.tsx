import { useState } from 'preact/hooks';
import { Field, errorsOf } from '../../ui/Field';
import { ErrorBox, Notice } from '../../ui/Status';
import { useAction } from '../../ui/use-load';

/**
 * A JSON document sent as is (a program version, a clinic's Questionnaire): the server validates it and
 * answers per-field issues, listed here with the JSON path they concern.
 */
export function JsonForm(p: { id: string; title: string; label: string; hint: string; initial: string; submitLabel: string; send(body: unknown): Promise<unknown>; onDone(): void }) {
  const [text, setText] = useState(p.initial);
  const [parseError, setParseError] = useState('');
  const action = useAction();
  const errors = errorsOf(action.error);
  const loadFile = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (file) setText(await file.text());
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    let body: unknown;
    try {
      body = JSON.parse(text);
      setParseError('');
    } catch (err) {
      return setParseError(`Not valid JSON: ${(err as Error).message}`);
    }
    if (await action.run(() => p.send(body), 'Saved.')) p.onDone();
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby={`${p.id}-h`} noValidate>
      <h2 id={`${p.id}-h`}>{p.title}</h2>
      <ErrorBox error={action.error} title="Not saved" />
      {Object.keys(errors).length > 0 && <p class="hint">Each problem names the place in the JSON it concerns.</p>}
      <div class="field">
        <label for={`${p.id}-file`}>Load from a file (optional)</label>
        <input id={`${p.id}-file`} type="file" accept="application/json,.json" onChange={loadFile} />
      </div>
      <Field id={`${p.id}-json`} label={p.label} hint={p.hint} error={parseError || undefined}>
        <textarea id={`${p.id}-json`} rows={12} spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)}
          aria-describedby={`${p.id}-json-hint${parseError ? ` ${p.id}-json-error` : ''}`} aria-invalid={parseError ? 'true' : undefined} class="code" />
      </Field>
      <button type="submit" class="primary" disabled={action.busy}>{p.submitLabel}</button>
      <Notice>{action.done}</Notice>
    </form>
  );
}
