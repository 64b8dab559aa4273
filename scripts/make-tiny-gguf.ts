// Writes a tiny llama-architecture GGUF (random weights, byte-level SPM vocab)
// that llama.cpp / node-llama-cpp really loads, generates from and embeds with.
// A few hundred KB, made at test time so no binary is committed.
//
//   node node_modules/jiti/lib/jiti-cli.mjs scripts/make-tiny-gguf.ts <out.gguf>
import { writeFileSync } from 'node:fs'

const GGUF_MAGIC = 0x46554747 // "GGUF" little-endian
const ALIGNMENT = 32
const enum ValueType {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  STRING = 8,
  ARRAY = 9
}
const GGML_TYPE_F32 = 0

type Value =
  | { t: 'u32'; v: number }
  | { t: 'f32'; v: number }
  | { t: 'str'; v: string }
  | { t: 'strs'; v: string[] }
  | { t: 'f32s'; v: number[] }
  | { t: 'i32s'; v: number[] }

class Writer {
  private chunks: Buffer[] = []
  length = 0
  private push(b: Buffer): void {
    this.chunks.push(b)
    this.length += b.length
  }
  u32(n: number): void {
    const b = Buffer.alloc(4)
    b.writeUInt32LE(n)
    this.push(b)
  }
  i32(n: number): void {
    const b = Buffer.alloc(4)
    b.writeInt32LE(n)
    this.push(b)
  }
  u64(n: number): void {
    const b = Buffer.alloc(8)
    b.writeBigUInt64LE(BigInt(n))
    this.push(b)
  }
  f32(n: number): void {
    const b = Buffer.alloc(4)
    b.writeFloatLE(n)
    this.push(b)
  }
  str(s: string): void {
    const bytes = Buffer.from(s, 'utf8')
    this.u64(bytes.length)
    this.push(bytes)
  }
  raw(b: Buffer): void {
    this.push(b)
  }
  pad(to: number): void {
    const rest = this.length % to
    if (rest) this.push(Buffer.alloc(to - rest))
  }
  value(value: Value): void {
    switch (value.t) {
      case 'u32':
        this.u32(ValueType.UINT32)
        return this.u32(value.v)
      case 'f32':
        this.u32(ValueType.FLOAT32)
        return this.f32(value.v)
      case 'str':
        this.u32(ValueType.STRING)
        return this.str(value.v)
      case 'strs':
        this.u32(ValueType.ARRAY)
        this.u32(ValueType.STRING)
        this.u64(value.v.length)
        return value.v.forEach((s) => this.str(s))
      case 'f32s':
        this.u32(ValueType.ARRAY)
        this.u32(ValueType.FLOAT32)
        this.u64(value.v.length)
        return value.v.forEach((n) => this.f32(n))
      case 'i32s':
        this.u32(ValueType.ARRAY)
        this.u32(ValueType.INT32)
        this.u64(value.v.length)
        return value.v.forEach((n) => this.i32(n))
    }
  }
  buffer(): Buffer {
    return Buffer.concat(this.chunks)
  }
}

export interface TinyGgufShape {
  readonly embedding: number
  readonly layers: number
  readonly heads: number
  readonly feedForward: number
  readonly context: number
}

const DEFAULT_SHAPE: TinyGgufShape = { embedding: 64, layers: 2, heads: 4, feedForward: 128, context: 512 }

/** Token types of llama.cpp's vocab: 1 normal, 2 unknown, 3 control, 6 byte. */
function vocab(): { tokens: string[]; types: number[] } {
  const tokens = ['<unk>', '<s>', '</s>']
  const types = [2, 3, 3]
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`)
    types.push(6)
  }
  // A few whole characters, so plain text also tokenizes without byte fallback.
  for (const ch of ['▁', ...'abcdefghijklmnopqrstuvwxyz']) {
    tokens.push(ch)
    types.push(1)
  }
  return { tokens, types }
}

/** A seeded generator, so the same seed makes the same file. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

export function makeTinyGguf(shape: TinyGgufShape = DEFAULT_SHAPE, seed = 42): Buffer {
  const { tokens, types } = vocab()
  const nVocab = tokens.length
  const { embedding: e, layers, heads, feedForward: ff, context } = shape
  const rnd = random(seed)
  const metadata: [string, Value][] = [
    ['general.architecture', { t: 'str', v: 'llama' }],
    ['general.name', { t: 'str', v: 'kos-tiny-test' }],
    ['general.alignment', { t: 'u32', v: ALIGNMENT }],
    ['llama.context_length', { t: 'u32', v: context }],
    ['llama.embedding_length', { t: 'u32', v: e }],
    ['llama.block_count', { t: 'u32', v: layers }],
    ['llama.feed_forward_length', { t: 'u32', v: ff }],
    ['llama.attention.head_count', { t: 'u32', v: heads }],
    ['llama.attention.head_count_kv', { t: 'u32', v: heads }],
    ['llama.attention.layer_norm_rms_epsilon', { t: 'f32', v: 1e-5 }],
    ['llama.rope.dimension_count', { t: 'u32', v: e / heads }],
    ['llama.vocab_size', { t: 'u32', v: nVocab }],
    ['tokenizer.ggml.model', { t: 'str', v: 'llama' }],
    ['tokenizer.ggml.tokens', { t: 'strs', v: tokens }],
    ['tokenizer.ggml.scores', { t: 'f32s', v: tokens.map(() => 0) }],
    ['tokenizer.ggml.token_type', { t: 'i32s', v: types }],
    ['tokenizer.ggml.bos_token_id', { t: 'u32', v: 1 }],
    ['tokenizer.ggml.eos_token_id', { t: 'u32', v: 2 }],
    ['tokenizer.ggml.unknown_token_id', { t: 'u32', v: 0 }]
  ]
  const tensors: { name: string; dims: number[] }[] = [
    { name: 'token_embd.weight', dims: [e, nVocab] },
    { name: 'output_norm.weight', dims: [e] },
    { name: 'output.weight', dims: [e, nVocab] }
  ]
  for (let l = 0; l < layers; l++) {
    tensors.push(
      { name: `blk.${l}.attn_norm.weight`, dims: [e] },
      { name: `blk.${l}.attn_q.weight`, dims: [e, e] },
      { name: `blk.${l}.attn_k.weight`, dims: [e, e] },
      { name: `blk.${l}.attn_v.weight`, dims: [e, e] },
      { name: `blk.${l}.attn_output.weight`, dims: [e, e] },
      { name: `blk.${l}.ffn_norm.weight`, dims: [e] },
      { name: `blk.${l}.ffn_gate.weight`, dims: [e, ff] },
      { name: `blk.${l}.ffn_down.weight`, dims: [ff, e] },
      { name: `blk.${l}.ffn_up.weight`, dims: [e, ff] }
    )
  }

  const w = new Writer()
  w.u32(GGUF_MAGIC)
  w.u32(3)
  w.u64(tensors.length)
  w.u64(metadata.length)
  for (const [key, value] of metadata) {
    w.str(key)
    w.value(value)
  }
  const datas: Buffer[] = []
  let offset = 0
  for (const t of tensors) {
    const count = t.dims.reduce((a, b) => a * b, 1)
    const data = Buffer.alloc(count * 4)
    // Norm weights at 1 keep activations sane; the rest small random values.
    const isNorm = t.name.endsWith('norm.weight')
    for (let i = 0; i < count; i++) data.writeFloatLE(isNorm ? 1 : (rnd() - 0.5) * 0.2, i * 4)
    w.str(t.name)
    w.u32(t.dims.length)
    for (const d of t.dims) w.u64(d)
    w.u32(GGML_TYPE_F32)
    w.u64(offset)
    datas.push(data)
    offset += data.length
    const rest = offset % ALIGNMENT
    if (rest) {
      datas.push(Buffer.alloc(ALIGNMENT - rest))
      offset += ALIGNMENT - rest
    }
  }
  w.pad(ALIGNMENT)
  for (const d of datas) w.raw(d)
  return w.buffer()
}

export function writeTinyGguf(file: string, shape?: TinyGgufShape): void {
  writeFileSync(file, makeTinyGguf(shape))
}

if (process.argv[1] && /make-tiny-gguf/.test(process.argv[1])) {
  const out = process.argv[2]
  if (!out) {
    console.error('Usage: make-tiny-gguf <out.gguf>')
    process.exit(2)
  }
  writeTinyGguf(out)
  process.stdout.write(`wrote ${out}\n`)
}
