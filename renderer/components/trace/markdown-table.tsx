import type { Tokens } from 'marked'
import type { ReactNode } from 'react'
import { inlines, type MarkdownCtx } from './markdown-inline'
import './trace.css'

/** A GFM table, wrapped so a wide one scrolls instead of widening the trace. */
export function table(t: Tokens.Table, key: number, ctx: MarkdownCtx): ReactNode {
  const align = (a: Tokens.TableCell['align']) => (a ? `align-${a}` : undefined)
  return (
    <div key={key} className="md-table-wrap">
      <table className="md-table">
        <thead>
          <tr>
            {t.header.map((cell, i) => (
              <th key={i} className={align(cell.align)}>
                {inlines(cell.tokens, ctx)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {t.rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, i) => (
                <td key={i} className={align(cell.align)}>
                  {inlines(cell.tokens, ctx)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
