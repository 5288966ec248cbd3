#!/usr/bin/env node
// The `assay` command: runs the CLI bundle that `npm run build` writes to out/cli.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// Imported by URL, never by path: a Windows path (C:\…) is no module specifier, and a path with
// `#` or `%` in it would be read as a URL's fragment or escape.
const bundle = new URL('../out/cli/assay.mjs', import.meta.url)
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write(
    'assay: the CLI is not built yet (out/cli/assay.mjs is missing). Run `npm run build` in the Assay folder, then try again.\n',
  )
  process.exit(1)
}
const { main } = await import(bundle.href)
process.exitCode = await main(process.argv.slice(2))
