// Reads an admin request's body up to a limit, hashing it as it streams in, so the SigV4 payload
// hash costs no second pass and an oversized body is never held in memory.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function readHashedBody(
  req: IncomingMessage,
  limit: number,
  tooLarge: () => Error,
): Promise<{ body: Buffer; sha256: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const hash = createHash('sha256');
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      hash.update(chunk);
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > limit) return;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      resolve({ body, sha256: hash.digest('hex') });
    });
    req.on('error', reject);
  });
}
