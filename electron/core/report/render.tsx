/**
 * The report's files: self-contained HTML (inline CSS and SVG, no script, and a CSP that forbids
 * any request), Markdown, JSON ("assay.report/v1"), and PDF printed from the HTML by a printer the
 * shell provides (Electron's printToPDF, or headless Chromium for the CLI and `assay serve`).
 */
import { renderToStaticMarkup } from 'react-dom/server'
import chartsCss from '../../../shared/charts/charts.css?raw'
import { ReportDocument } from '../../../shared/report/Document'
import type { ReportData } from '../../../shared/report/data'
import { reportMarkdown } from '../../../shared/report/markdown'
import reportCss from '../../../shared/report/report.css?raw'

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }
const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ENTITIES[c])

export function reportHtml(data: ReportData): string {
  const body = renderToStaticMarkup(<ReportDocument data={data} />)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Assay ${escape(data.app.version)}">
<title>Calibration report: ${escape(data.project.name)}</title>
<style>${chartsCss}\n${reportCss}</style>
</head>
<body>
${body}
</body>
</html>
`
}

export const reportJson = (data: ReportData): string => `${JSON.stringify(data, null, 2)}\n`
export { reportMarkdown }

/** Turns the report's HTML into PDF bytes; the Electron shell and the CLI each bring one. */
export type PdfPrinter = (html: string) => Promise<Buffer>
