/** Conversions between rows and core types, shared by the repositories. */

/** BIGINT columns may arrive as strings from some drivers; core types hold numbers. */
export function num(value: number | string | bigint): number {
  return typeof value === 'number' ? value : Number(value);
}

export function numOrNull(value: number | string | bigint | null): number | null {
  return value === null ? null : num(value);
}

export function bool(value: number | boolean | string): boolean {
  return value === true || value === 1 || value === '1';
}

export function flag(value: boolean): number {
  return value ? 1 : 0;
}

export function jsonArray(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
}

export function jsonObject(text: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(text);
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}
