/** One schema step, with its SQL for each dialect (see migrations.ts for the ordered list). */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}
