/** A port option: an integer 0–65535, else one clear error naming the option. */
export function parsePort(option: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${option}: not a port number: ${value}`);
  return port;
}
