// Reads vitest's JSON report and prints the plain closing line CI reads:
// "N passed, N failed[, N skipped]". Exits 1 when a test failed or none ran.
import { readFileSync } from 'node:fs'

const file = process.argv[2] ?? '.ci-vitest.json'
let report
try {
  report = JSON.parse(readFileSync(file, 'utf8'))
} catch (error) {
  console.log('0 passed, 1 failed')
  console.error(`summary: cannot read the vitest report ${file}: ${error.message}`)
  process.exit(1)
}
const passed = report.numPassedTests ?? 0
// A failed suite (a describe block or a file) holds the failed tests already counted; it counts on
// its own only when no test failed (a file that could not load, a failing hook).
const failedTests = report.numFailedTests ?? 0
const failed = failedTests > 0 ? failedTests : (report.numFailedTestSuites ?? 0)
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
