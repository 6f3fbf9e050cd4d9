// SMART App Launch styling: the EHR's smart_style_url names colours, fonts and spacing; applying them as
// --ehr-* custom properties (the defaults of app.css's variables) makes the app look at home inside the
// EHR, while the person's high-contrast setting still overrides them. Unknown or unsafe values are ignored.

const MAP: Record<string, string> = {
  color_background: '--ehr-bg',
  color_text: '--ehr-text',
  color_highlight: '--ehr-accent',
  color_error: '--ehr-error',
  color_success: '--ehr-success',
  color_modal_backdrop: '--ehr-backdrop',
  dim_border_radius: '--ehr-radius',
  dim_font_size: '--ehr-font-size',
  dim_spacing_size: '--ehr-space',
  font_family_body: '--ehr-font-body',
  font_family_heading: '--ehr-font-heading',
};

// A value may be a colour, a length or a font list, never something that could break out of a declaration.
const SAFE = /^[#(),.%\w\s"'-]{1,200}$/;

export function applySmartStyle(style: Record<string, unknown>, root: HTMLElement = document.documentElement): string[] {
  const applied: string[] = [];
  for (const [key, value] of Object.entries(style)) {
    const prop = MAP[key];
    if (!prop || typeof value !== 'string' || !SAFE.test(value)) continue;
    root.style.setProperty(prop, value);
    applied.push(prop);
  }
  return applied;
}

/**
 * Fetches and applies the style document. The CSP's connect-src is 'self', so an EHR on another origin
 * is reached only when the service allows it; a failure leaves the app's own accessible defaults.
 */
export async function loadSmartStyle(url: string | null): Promise<void> {
  if (!url) return;
  try {
    const res = await fetch(url, { credentials: 'omit', headers: { Accept: 'application/json' } });
    if (res.ok) applySmartStyle((await res.json()) as Record<string, unknown>);
  } catch {
    // Keep the defaults: they meet WCAG AA on their own.
  }
}
