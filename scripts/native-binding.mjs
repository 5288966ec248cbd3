// Preloaded (`node --require`; Node 22 loads ES modules that way) by scripts/ci-node22.sh: points
// every load of better-sqlite3's addon at ASSAY_NATIVE_BINDING, a build for another Node ABI kept
// outside node_modules. node_modules keeps the machine Node's build, which the main test run uses;
// the tests, the CLI processes they spawn and worker threads (eval ones too) all load the addon
// through process.dlopen, so this one place covers them.
import { basename } from 'node:path'

const binding = process.env.ASSAY_NATIVE_BINDING
if (binding) {
  const dlopen = process.dlopen.bind(process)
  process.dlopen = (module, filename, ...flags) =>
    dlopen(module, basename(filename) === 'better_sqlite3.node' ? binding : filename, ...flags)
}
