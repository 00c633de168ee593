import { randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** AWS-shaped ids: 10 lowercase alphanumerics for APIs, 6 for resources and authorizers, … */
export function awsId(length = 10): string {
  const bytes = randomBytes(length);
  let id = '';
  for (let i = 0; i < length; i++) id += ALPHABET[bytes[i]! % ALPHABET.length];
  return id;
}

export function requestId(): string {
  return randomUUID();
}

export const API_ID = /^[a-z0-9]{10}$/;
