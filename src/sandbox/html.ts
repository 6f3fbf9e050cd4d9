/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A tagged template that escapes every interpolation unless it is already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const render = (v: unknown): string => (v instanceof Html ? v.value : Array.isArray(v) ? v.map(render).join('') : escapeHtml(v));
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

/** Inline styles only (CSP allows them); no script at all, so the pages work under `script-src 'self'`. */
const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
  header { background: #0b3d5c; color: #fff; padding: .75rem 1.5rem; }
  header p { margin: 0; font-size: .9rem; }
  main { max-width: 42rem; margin: 1.5rem auto; background: #fff; padding: 1.5rem; border-radius: 8px; border: 1px solid #d0d7de; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  select, input[type=url], input[type=text] { font: inherit; width: 100%; box-sizing: border-box; padding: .4rem; margin-top: .25rem; }
  button { font: inherit; margin-top: 1.25rem; margin-right: .5rem; padding: .5rem 1.25rem; border-radius: 6px; border: 1px solid #0b3d5c; }
  button.primary { background: #0b3d5c; color: #fff; }
  :focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
  .hint { color: #57606a; font-size: .9rem; }
  code { background: #eef1f4; padding: 0 .25rem; border-radius: 4px; }
`;

export function page(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<header><p>Sandbox EHR — synthetic data for development and tests only</p></header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`.value;
}

export interface Option {
  value: string;
  label: string;
}

/** A labelled <select>; `selected` marks the default. */
export function select(name: string, labelText: string, groups: { label: string; options: Option[] }[], selected?: string, hint?: string): Html {
  const hintId = hint ? `${name}-hint` : undefined;
  return html`<label for="${name}">${labelText}</label>
${hint ? html`<p class="hint" id="${hintId}">${hint}</p>` : ''}
<select id="${name}" name="${name}"${hintId ? html` aria-describedby="${hintId}"` : ''}>
${groups.map((g) => html`<optgroup label="${g.label}">
${g.options.map((o) => html`<option value="${o.value}"${o.value === selected ? html` selected` : ''}>${o.label}</option>
`)}</optgroup>
`)}</select>`;
}
