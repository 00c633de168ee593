// How every command ends on a user mistake: one clear line and a non-zero exit, never a stack
// trace (set SALLYPORT_DEBUG=1 to see one). Its own module so command files need not import
// main.ts, which imports them.
export function fail(error: unknown): never {
  if (process.env.SALLYPORT_DEBUG) console.error(error);
  const message = error instanceof Error ? error.message : String(error);
  console.error(`sallyport: ${message}`);
  process.exit(1);
}
