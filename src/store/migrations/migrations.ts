// The schema, as numbered migrations applied in order and recorded in `schema_migrations`.
// One list for both dialects, so SQLite and PostgreSQL never drift apart: each migration
// carries its SQL for each. Never edit a released migration; add the next number.
import { entitiesAndChanges } from './001-entities-and-changes.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [entitiesAndChanges];
