import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'

/**
 * One JSON POST on a connection of its own, answered with its status and body text. A pooled
 * connection (fetch's) that the server closes as idle just as the next request goes out on it fails
 * that request ("other side closed") though the server never saw it; on loopback a new connection
 * costs a fraction of a millisecond.
 */
export function postOnOwnConnection(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest
    const req = send(url, {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }
    })
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(body)
  })
}
