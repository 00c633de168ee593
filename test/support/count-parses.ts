// How many times `run` hands `text` to JSON.parse: for the tests that pin "parsed once".
export async function parsesOf<T>(
  text: string,
  run: () => T | Promise<T>,
): Promise<{ result: T; parses: number }> {
  const parse = JSON.parse;
  let parses = 0;
  JSON.parse = (json: string, reviver?: Parameters<typeof parse>[1]): unknown => {
    if (String(json) === text) parses++;
    return parse(json, reviver);
  };
  try {
    return { result: await run(), parses };
  } finally {
    JSON.parse = parse;
  }
}
