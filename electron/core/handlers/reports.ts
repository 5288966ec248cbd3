/** The Report screen's methods: the report's data, and the report as a file (HTML, Markdown, JSON or PDF). */
import type { ReportRequest } from '../../../shared/report/data'
import { buildReport } from '../report/build'
import { chromiumPrinter } from '../report/pdf'
import { reportHtml, reportJson, reportMarkdown } from '../report/render'
import type { Part, Scope } from './types'

export function reportHandlers({ project, deps }: Scope): Part<'report'> {
  const build = (request: ReportRequest) => {
    const d = project()
    return buildReport(d, { ...request, projectPath: d.path, appVersion: deps.version })
  }
  return {
    'report.get': (request) => build(request),
    'report.render': async ({ format, ...request }) => {
      const data = build(request)
      const base = `${data.project.name}-calibration-report`
      if (format === 'pdf') {
        const pdf = await (deps.printPdf ?? chromiumPrinter(deps.env ?? process.env))(reportHtml(data))
        return { filename: `${base}.pdf`, mime: 'application/pdf', base64: pdf.toString('base64') }
      }
      const [text, mime] =
        format === 'html'
          ? [reportHtml(data), 'text/html']
          : format === 'md'
            ? [reportMarkdown(data), 'text/markdown']
            : [reportJson(data), 'application/json']
      return { filename: `${base}.${format}`, mime, base64: Buffer.from(text, 'utf8').toString('base64') }
    },
  }
}
