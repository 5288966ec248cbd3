// Reads vitest's JSON reports and prints the plain closing line CI reads:
// "N passed, N failed[, N skipped]", summed over every report given (the main run, then the
// Node 22 run of scripts/ci-node22.sh). Exits 1 when a test failed, a report is missing, or none ran.
import { readFileSync } from 'node:fs'

const files = process.argv.length > 2 ? process.argv.slice(2) : ['.ci-vitest.json']
const total = { passed: 0, failed: 0, skipped: 0 }
for (const file of files) {
  let report
  try {
    report = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    console.error(`summary: cannot read the vitest report ${file}: ${error.message}`)
    total.failed += 1
    continue
  }
  // A failed suite (a describe block or a file) holds the failed tests already counted; it counts on
  // its own only when no test failed (a file that could not load, a failing hook).
  const failedTests = report.numFailedTests ?? 0
  const failed = failedTests > 0 ? failedTests : (report.numFailedTestSuites ?? 0)
  const passed = report.numPassedTests ?? 0
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  if (files.length > 1) console.error(`summary: ${file}: ${passed} passed, ${failed} failed, ${skipped} skipped`)
  // CI keeps only the tail of its output: name each failure here, with the start of its message.
  for (const suite of report.testResults ?? []) {
    const failures = (suite.assertionResults ?? []).filter((test) => test.status === 'failed')
    if (failures.length === 0 && suite.status === 'failed')
      console.error(`  failed: ${suite.name}: ${firstLine(suite.message)}`)
    for (const test of failures)
      console.error(`  failed: ${suite.name} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`)
  }
  if (passed === 0 && failed === 0) total.failed += 1 // a run in which nothing ran is a failure
  total.passed += passed
  total.failed += failed
  total.skipped += skipped
}
const { passed, failed, skipped } = total
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)

function firstLine(message) {
  return (
    String(message ?? '')
      .split('\n')
      .find((line) => line.trim() !== '') ?? '(no message)'
  )
}
