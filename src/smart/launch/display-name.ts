import type { HumanName } from 'fhir/r4.js';

/** "Given Family" from a FHIR HumanName list, preferring the official or usual name. */
export function formatHumanName(names: HumanName[] | undefined): string | undefined {
  const n = names?.find((x) => x.use === 'official' || x.use === 'usual') ?? names?.[0];
  if (!n) return undefined;
  const text = n.text ?? [...(n.prefix ?? []), ...(n.given ?? []), n.family].filter(Boolean).join(' ');
  return text.trim() || undefined;
}
