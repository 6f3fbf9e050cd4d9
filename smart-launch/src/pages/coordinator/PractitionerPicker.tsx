import { useEffect, useState } from 'preact/hooks';
import { staffPractitioners, type StaffPractitioner } from '../../lib/people';
import { Field, control } from '../../ui/Field';
import { ErrorBox } from '../../ui/Status';
import { useAction } from '../../ui/use-load';

const PAGE = 50;

/**
 * A practitioner chosen from the EHR's list (read with the user's own token), never typed as a reference: the
 * first page is offered at once, a name narrows it, "More practitioners" pages on. The value is the
 * `Practitioner/<id>` the API takes.
 */
export function PractitionerPicker(p: { id: string; label: string; value: string; error?: string; onChange(reference: string): void }) {
  const [name, setName] = useState('');
  const [found, setFound] = useState<StaffPractitioner[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [picked, setPicked] = useState<StaffPractitioner | undefined>(undefined);
  const search = useAction();

  const find = async (cursor?: string) => {
    const page = await search.run(() => staffPractitioners.search(cursor ? { cursor } : { name: name.trim() || undefined, count: PAGE }));
    if (!page) return;
    setFound(cursor ? [...found, ...page.items] : page.items);
    setNext(page.next);
  };
  useEffect(() => {
    void find();
  }, []);
  // The one chosen stays on the list when a new search does not find them again.
  const keep = picked && picked.fhirUser === p.value && !found.some((x) => x.fhirUser === p.value);
  const options = keep ? [picked, ...found] : found;
  const pick = (ref: string) => {
    setPicked(options.find((x) => x.fhirUser === ref));
    p.onChange(ref);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault(); // a search, not the enclosing form's submit
    void find();
  };
  return (
    <div class="practitioner-picker">
      <div class="picker-search">
        <Field id={`${p.id}-name`} label="Search the EHR's practitioners by name" hint="Optional: a first or last name, or its beginning">
          <input {...control(`${p.id}-name`, undefined, `${p.id}-name-hint`)} value={name} onInput={(e) => setName(e.currentTarget.value)} onKeyDown={onKey} autoComplete="off" />
        </Field>
        <button type="button" class="secondary" onClick={() => void find()} disabled={search.busy}>
          Find<span class="visually-hidden"> practitioners named {name || 'anything'}</span>
        </button>
      </div>
      <ErrorBox error={search.error} title="The EHR's practitioners could not be searched" />
      <Field id={p.id} label={p.label} error={p.error}>
        <select {...control(p.id, p.error)} value={p.value} onChange={(e) => pick(e.currentTarget.value)}>
          <option value="">{search.busy && !options.length ? 'Loading practitioners…' : options.length ? 'Choose…' : 'No practitioner found'}</option>
          {options.map((x) => (
            <option key={x.fhirUser} value={x.fhirUser}>
              {x.name ?? 'Name not recorded in the EHR'}
              {x.qualification ? ` — ${x.qualification}` : ''}
              {x.active === false ? ' (inactive)' : ''}
            </option>
          ))}
        </select>
      </Field>
      {next && (
        <button type="button" class="secondary" onClick={() => void find(next)} disabled={search.busy}>
          More practitioners
        </button>
      )}
    </div>
  );
}
