import { useMemo } from 'preact/hooks';
import { zoneLabel, timeZones } from '../lib/format';
import { control, Field } from './Field';

/**
 * A time zone chosen from the browser's list of IANA zones, the clinic's own first, so nobody types
 * "Europe/Pari" and gets a refusal. The zone's everyday name is shown beneath the choice.
 */
export function TimeZoneField(p: { id: string; label: string; value: string; clinicZone: string; error?: string; onChange(zone: string): void }) {
  const zones = useMemo(() => timeZones(p.clinicZone), [p.clinicZone]);
  const hint = `${zoneLabel(p.value, true)}${p.value === p.clinicZone ? ": the clinic's time zone" : ''}`;
  return (
    <Field id={p.id} label={p.label} error={p.error} hint={hint}>
      <select {...control(p.id, p.error, `${p.id}-hint`)} value={p.value} onChange={(e) => p.onChange(e.currentTarget.value)}>
        <optgroup label="The clinic's time zone">
          <option value={zones[0]}>{zoneLabel(zones[0])}</option>
        </optgroup>
        <optgroup label="All time zones">
          {zones.slice(1).map((z) => (
            <option key={z} value={z}>
              {zoneLabel(z)}
            </option>
          ))}
        </optgroup>
      </select>
    </Field>
  );
}
