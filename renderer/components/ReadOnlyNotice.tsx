/** Why a feature that writes is off while the project is read-only (the banner says why the file is). */
export function ReadOnlyNotice({ what, reason }: { what: string; reason: string }) {
  return (
    <p className="readonly-notice" role="note" data-testid="readonly-notice">
      <strong>{what} is off: the project is read-only.</strong> {reason}
    </p>
  )
}
