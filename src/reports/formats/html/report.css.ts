// Inline styles of the HTML report (CSP allows inline <style>, not scripts). Patterns and labels, not
// colour alone, carry meaning; contrast meets WCAG AA.
export const REPORT_CSS = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff;margin:0}
main{max-width:1000px;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:1px solid #ccc;margin-top:2rem}
.deid{background:#f3f3f3;border-left:4px solid #555;padding:.5rem .75rem}
figure.chart{margin:1.5rem 0}figcaption{font-weight:600}
svg{max-width:100%;height:auto;font-size:12px}svg text{fill:#1a1a1a}
.bar{fill:#2f5d8a}.bar-suppressed{fill:#fff;stroke:#555;stroke-dasharray:4 3}
.whisker{stroke:#1a1a1a;stroke-width:2}.point{fill:#1a1a1a}.zero{stroke:#777;stroke-dasharray:3 3}
.axis{stroke:#555}.pair{stroke:#2f5d8a;stroke-opacity:.45}.mean{stroke:#b03a2e;stroke-width:4}
table{border-collapse:collapse;margin:1rem 0;width:100%}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}td{font-variant-numeric:tabular-nums}
th.section{background:#eef2f6}table.chart-data{font-size:.9rem}
@media print{h2{break-before:auto}figure.chart{break-inside:avoid}}
`;
