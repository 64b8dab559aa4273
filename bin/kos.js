#!/usr/bin/env node
'use strict'
const { existsSync } = require('node:fs')
const { join } = require('node:path')

const entry = join(__dirname, '..', 'out', 'main', 'kos.js')
if (!existsSync(entry)) {
  process.stderr.write(
    'kos: the app is not built yet. Run `npm run build` (or `npm start`) in the project folder first.\n'
  )
  process.exit(1)
}
require(entry)
