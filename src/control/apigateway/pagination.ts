// `limit` / `position` on API Gateway's list operations: at most `limit` items (default 25,
// at most 500), and a `position` token for the next page when more remain.
// https://docs.aws.amazon.com/apigateway/latest/api/API_GetRestApis.html
import { BadRequestError, ValidationError } from '../errors.js';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 500;

export interface Page<T> {
  item: T[];
  position?: string;
}

export function paginate<T>(items: T[], query: URLSearchParams): Page<T> {
  const limit = parseLimit(query.get('limit'));
  const start = parsePosition(query.get('position'), items.length);
  const page: Page<T> = { item: items.slice(start, start + limit) };
  if (start + limit < items.length) page.position = encodePosition(start + limit);
  return page;
}

function parseLimit(raw: string | null): number {
  if (raw === null || raw === '') return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit))
    throw new BadRequestError(`Invalid value for parameter limit: ${raw}`);
  if (limit < 1 || limit > MAX_LIMIT) {
    throw new ValidationError(
      `1 validation error detected: Value '${raw}' at 'limit' failed to satisfy constraint: ` +
        `Member must have value ${limit < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_LIMIT}`}`,
    );
  }
  return limit;
}

// Positions are opaque to clients; ours encode the offset of the next item.
function encodePosition(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function parsePosition(raw: string | null, length: number): number {
  if (raw === null || raw === '') return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  const offset = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(offset) || offset > length)
    throw new BadRequestError('Invalid position parameter');
  return offset;
}
