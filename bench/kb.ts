import { loadavg } from 'node:os'
import { runQuality } from './kb-labelled'
import { JSON_OUTPUT, QUALITY, SIZES, print } from './kb-options'
import { printQuality, printSize } from './kb-report'
import { runSize, type SizeResult } from './kb-size'

// bench:kb: the knowledge base at each size (kb-size.ts), then the hybrid ranking's quality on a labelled set
// (kb-labelled.ts); the flags are read in kb-options.ts.
async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!
  print(
    `Knowledge base, 768-dim float32 + sign bits, on-disk WAL, synchronous=FULL; load average ${loadBefore.toFixed(1)} on ${process.env.KOS_BENCH_CORES ?? '2'} cores`
  )
  const sizes: SizeResult[] = []
  for (const chunks of SIZES) {
    const r = await runSize(chunks)
    sizes.push(r)
    printSize(r)
  }
  const quality = QUALITY ? await runQuality() : null
  if (quality) printQuality(quality)
  const loadAfter = loadavg()[0]!
  print(`\nload average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`)
  if (JSON_OUTPUT)
    process.stdout.write(`${JSON.stringify({ load: { before: loadBefore, after: loadAfter }, sizes, quality })}\n`)
}

void main()
