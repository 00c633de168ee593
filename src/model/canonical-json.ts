// One way to compare documents that the store, a project file or an API call may write with
// their keys in any order: deployments compare snapshots with it, the function plane compares
// function configurations.

/** JSON with sorted keys: equal documents compare equal whatever order their keys are in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
