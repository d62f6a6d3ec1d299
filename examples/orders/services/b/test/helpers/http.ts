/** An HTTP answer with its body parsed as JSON ({} when empty). */
export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** Sends `body` (JSON-encoded, or a string as is) to `url` and parses the JSON answer. */
export async function request(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}
