import { guardStandardStreams } from '../cli-output'

// A child for the pipe test: guarded as `kos` guards itself, it writes lines
// as a long listing does until its reader has gone.
guardStandardStreams((error) => {
  process.stderr.write(`unexpected: ${error.message}\n`)
  process.exit(70)
})
const line = `${'x'.repeat(100)}\n`
const write = (): void => {
  while (process.stdout.write(line));
  process.stdout.once('drain', write)
}
write()
