// Maps keyed by what a client, a function or a token sent. Without a prototype, `__proto__`,
// `constructor` or `toString` are plain keys like any other — AWS passes them through — never
// inherited members that a lookup would find or an assignment would fall into.

/**
 * Instances inherit nothing: their prototype is an empty, frozen object without a prototype of
 * its own. Not `Object.create(null)`: V8 keeps such objects in dictionary mode from birth, and
 * the request's header and query maps then cost four times as much to fill, and each `for…in`
 * or copy of them more still (docs/performance.md, issue 13's last pass).
 */
const AnyKeyMap = function AnyKeyMap() {} as unknown as new () => object;
AnyKeyMap.prototype = Object.freeze(Object.create(null) as object);

export function anyKeyMap<T>(): Record<string, T> {
  return new AnyKeyMap() as Record<string, T>;
}

/** The own value under `key`, never an inherited member. */
export function ownValue<T>(map: Record<string, T> | null | undefined, key: string): T | undefined {
  return map != null && Object.hasOwn(map, key) ? map[key] : undefined;
}
