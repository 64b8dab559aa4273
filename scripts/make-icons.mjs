// Draws the app icon and the tray icons as PNGs into resources/. Shapes are
// computed, not drawn by hand, so the icons can be regenerated and reviewed:
// `node scripts/make-icons.mjs`. The PNG encoder is the minimal one the format
// needs (RGBA, no filtering), on Node's zlib.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'

const root = join(import.meta.dirname, '..')

function png(width, height, pixel) {
  const raw = Buffer.alloc((width * 4 + 1) * height)
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0
    for (let x = 0; x < width; x++) {
      const [r, g, b, a] = pixel(x, y)
      raw.set([r, g, b, a], y * (width * 4 + 1) + 1 + x * 4)
    }
  }
  const chunk = (type, data) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 6, 0, 0, 0], 8)
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

/** Coverage of a shape over a pixel, 4×4 supersampled, in shape units where the image is 1×1. */
function coverage(size, x, y, inside) {
  let hits = 0
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) if (inside((x + (i + 0.5) / 4) / size, (y + (j + 0.5) / 4) / size)) hits++
  return hits / 16
}

const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r
const ring = (cx, cy, r, w) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) <= w / 2
const segment = (ax, ay, bx, by, w) => (x, y) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)))
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= w / 2
}
const roundedSquare = (m, r) => (x, y) => {
  const dx = Math.max(m + r - x, 0, x - (1 - m - r))
  const dy = Math.max(m + r - y, 0, y - (1 - m - r))
  return x >= m && x <= 1 - m && y >= m && y <= 1 - m && dx * dx + dy * dy <= r * r
}
const any =
  (...shapes) =>
  (x, y) =>
    shapes.some((s) => s(x, y))

// Tray glyphs: template images (black + alpha) for the macOS menu bar, where
// the system colours them; state is told by shape: full, half, struck through.
const TRAY = {
  ok: circle(0.5, 0.5, 0.34),
  degraded: any(ring(0.5, 0.5, 0.3, 0.1), (x, y) => x <= 0.5 && circle(0.5, 0.5, 0.3)(x, y)),
  down: any(ring(0.5, 0.5, 0.3, 0.1), segment(0.28, 0.72, 0.72, 0.28, 0.1)),
  // Starting, before the first health check: a dashed ring, nothing known yet.
  unknown: (x, y) =>
    ring(0.5, 0.5, 0.3, 0.1)(x, y) &&
    Math.floor(((Math.atan2(y - 0.5, x - 0.5) + Math.PI) / (2 * Math.PI)) * 8) % 2 === 0
}
const TRAY_COLOUR = { ok: [31, 157, 85], degraded: [201, 138, 4], down: [209, 67, 67], unknown: [128, 128, 128] }

mkdirSync(join(root, 'resources', 'tray'), { recursive: true })
for (const [state, shape] of Object.entries(TRAY)) {
  for (const [suffix, size] of [
    ['', 16],
    ['@2x', 32]
  ]) {
    const alpha = (x, y) => Math.round(coverage(size, x, y, shape) * 255)
    writeFileSync(
      join(root, 'resources', 'tray', `${state}Template${suffix}.png`),
      png(size, size, (x, y) => [0, 0, 0, alpha(x, y)])
    )
    writeFileSync(
      join(root, 'resources', 'tray', `${state}${suffix}.png`),
      png(size, size, (x, y) => [...TRAY_COLOUR[state], alpha(x, y)])
    )
  }
}

// App icon: a knowledge graph (four nodes, their links) on a rounded square.
const nodes = [
  [0.5, 0.3],
  [0.3, 0.64],
  [0.7, 0.64],
  [0.5, 0.52]
]
const graph = any(
  ...nodes.map(([x, y], i) => circle(x, y, i === 3 ? 0.075 : 0.06)),
  ...[
    [0, 1],
    [0, 2],
    [1, 2],
    [0, 3],
    [1, 3],
    [2, 3]
  ].map(([a, b]) => segment(...nodes[a], ...nodes[b], 0.028))
)
const background = roundedSquare(0.06, 0.18)
const size = 1024
writeFileSync(
  join(root, 'resources', 'icon.png'),
  png(size, size, (x, y) => {
    const bg = coverage(size, x, y, background)
    if (bg === 0) return [0, 0, 0, 0]
    const fg = coverage(size, x, y, graph)
    const t = (x + y) / (2 * size)
    const base = [59 + (29 - 59) * t, 110 + (35 - 110) * t, 245 + (48 - 245) * t]
    return [...base.map((c) => Math.round(c + (255 - c) * fg)), Math.round(bg * 255)]
  })
)
console.log('icons written to resources/')
