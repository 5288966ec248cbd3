/**
 * The problems of an import's rows: line, column and what is wrong, as the preview and the report list them.
 * A Parquet file has rows, not lines (`unit`).
 */
export function ErrorList({
  errors,
  title,
  unit = 'line',
}: {
  errors: { line: number; column?: string; message: string }[]
  title: string
  unit?: 'line' | 'row'
}) {
  return (
    <div className="import-errors">
      <h4>{title}</h4>
      <table>
        <tbody>
          {errors.map((e, i) => (
            <tr key={i}>
              <td>
                {unit} {e.line}
              </td>
              <td>{e.column ?? ''}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
