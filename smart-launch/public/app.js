// The app shell: asks the service who is signed in (the session cookie is HttpOnly; no token is ever here).
const $ = (id) => document.getElementById(id);

function text(el, value) {
  el.textContent = value;
}

async function main() {
  const res = await fetch('/api/context', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!res.ok) {
    const outcome = await res.json().catch(() => null);
    text($('who'), 'Not signed in');
    text($('status'), outcome?.issue?.[0]?.diagnostics ?? 'Please open the app from your EHR.');
    return;
  }
  const ctx = await res.json();
  text($('who'), `${ctx.user.displayName} — ${ctx.user.role} — ${ctx.ehr.name}`);
  if (ctx.patient) {
    const b = $('banner');
    b.hidden = false;
    text(b, `${ctx.patient.name ?? 'Patient'} · born ${ctx.patient.birthDate ?? '—'} · ${ctx.patient.gender ?? ''} · MRN ${ctx.patient.mrn ?? '—'}`);
  }
  text($('status'), 'Signed in.');
}

main().catch(() => text($('status'), 'The service is not answering; please try again.'));
