// Types for tests that start the example's auth server in-process.
import type { JSONWebKeySet, JWTPayload } from 'jose';

export declare const CLIENT_ID: string;
export declare const INTROSPECTION_CLIENT: { id: string; secret: string };
export declare const USERS: Record<
  string,
  { password: string; sub: string; email: string; groups: string[]; scopes: string[] }
>;

export interface IssuedTokens {
  id_token: string;
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export interface AuthServer {
  url: string;
  readonly issuer: string;
  issueTokens(
    username: string,
    options?: { scope?: string; alg?: 'RS256' | 'ES256'; format?: 'jwt' | 'opaque' },
  ): Promise<IssuedTokens>;
  sign(claims: JWTPayload, options?: { alg?: 'RS256' | 'ES256'; kid?: string }): Promise<string>;
  rotate(options?: { drop?: boolean }): Promise<{ kids: string[] }>;
  introspect(token: string): Promise<Record<string, unknown>>;
  publicJwks(): JSONWebKeySet;
  setJwksDown(down: boolean): void;
  close(): Promise<void>;
}

export declare function startAuthServer(options?: {
  port?: number;
  host?: string;
  issuer?: string;
}): Promise<AuthServer>;
