// Maps keyed by what a client, a function or a token sent. Without a prototype, `__proto__`,
// `constructor` or `toString` are plain keys like any other — AWS passes them through — never
// inherited members that a lookup would find or an assignment would fall into.

export function anyKeyMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** The own value under `key`, never an inherited member. */
export function ownValue<T>(map: Record<string, T> | null | undefined, key: string): T | undefined {
  return map != null && Object.hasOwn(map, key) ? map[key] : undefined;
}
