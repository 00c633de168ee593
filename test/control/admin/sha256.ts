// The hash the SDK's signer takes (sha256 / HMAC-SHA256), over node:crypto.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

type Data = string | ArrayBuffer | ArrayBufferView;

const bytes = (data: Data): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

export class Sha256 {
  readonly #h: Hash | Hmac;
  constructor(secret?: Data) {
    this.#h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Data) {
    this.#h.update(bytes(data));
  }
  digest() {
    return Promise.resolve(new Uint8Array(this.#h.digest()));
  }
}
