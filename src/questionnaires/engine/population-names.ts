import type { Extension, Questionnaire } from 'fhir/r4.js';
import { EXT } from './codes.js';

// The names a form's population mechanisms declare, apart from population.ts (which imports validation and the
// enablement engine): variables.ts needs them too, and importing population.ts from there closed an import circle.

export interface LaunchContextDeclaration {
  /** The %variable name: `patient`, `user`, `encounter`… */
  name: string;
  /** Resource types the form accepts for it (empty: any). */
  types: string[];
}

/** The form's sdc-questionnaire-launchContext declarations (name as a Coding in SDC 3+, an id in earlier drafts). */
export function launchContextsOf(q: Questionnaire): LaunchContextDeclaration[] {
  return (q.extension ?? [])
    .filter((e) => e.url === EXT.launchContext)
    .flatMap((e) => {
      const parts = e.extension ?? [];
      const nameExt = parts.find((p) => p.url === 'name');
      const name = nameExt?.valueCoding?.code ?? nameExt?.valueId ?? nameExt?.valueCode;
      const types = parts.filter((p) => p.url === 'type' && p.valueCode).map((p) => p.valueCode as string);
      return name ? [{ name, types }] : [];
    });
}

/**
 * Names a form declares through population mechanisms this module does not run: an item's itemPopulationContext
 * (`%name` for the items under it) and the Questionnaire's sourceQueries (a contained batch Bundle, `%id`). They
 * stay empty, so expressions that read them yield nothing: those items are left for the person.
 */
export function unsupportedPopulationNames(extensions: Extension[] | undefined): { name: string; message: string }[] {
  return (extensions ?? []).flatMap((e) => {
    if (e.url === EXT.itemPopulationContext && e.valueExpression?.name) {
      return [{ name: e.valueExpression.name, message: `itemPopulationContext ${e.valueExpression.name} is not evaluated here: the items that read it are left empty` }];
    }
    const id = e.url === EXT.sourceQueries ? e.valueReference?.reference?.replace(/^#/, '') : undefined;
    return id ? [{ name: id, message: `sourceQueries ${id} (a batch of FHIR queries) is not run here: the items that read it are left empty` }] : [];
  });
}
