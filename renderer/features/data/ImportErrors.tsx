/** The problems of an import's rows: line, column and what is wrong, as the preview and the report list them. */
export function ErrorList({
  errors,
  title,
}: {
  errors: { line: number; column?: string; message: string }[]
  title: string
}) {
  return (
    <div className="import-errors">
      <h4>{title}</h4>
      <table>
        <tbody>
          {errors.map((e, i) => (
            <tr key={i}>
              <td>line {e.line}</td>
              <td>{e.column ?? ''}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
