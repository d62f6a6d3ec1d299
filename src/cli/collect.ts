/** Commander's reducer for a repeatable option: every value, comma-separated lists split, blanks dropped. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((item) => item.trim()).filter(Boolean)];
}
