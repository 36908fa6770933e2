/**
 * The API as the dashboard calls it: same origin, the session cookie (never the key), the CSRF
 * token on every change, and the API's own error message on failure.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

export interface Session {
  workspace: string;
  scopes: string[];
  csrfToken: string;
  expiresAt: string;
}

let csrfToken = "";
/** called when any request answers 401: the session ended (expired, signed out elsewhere, key revoked) */
let onSignedOut: () => void = () => {};

export function setSession(s: Session | null): void {
  csrfToken = s?.csrfToken ?? "";
}
export function whenSignedOut(fn: () => void): void {
  onSignedOut = fn;
}

async function call<T>(method: string, path: string, body?: unknown, opts: { quiet401?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  const res = await fetch(path, { method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (!res.ok) {
    const message = (parsed as { message?: string } | null)?.message ?? `${res.status} ${res.statusText}`;
    if (res.status === 401 && !opts.quiet401) onSignedOut();
    throw new ApiError(res.status, message, parsed);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, params?: Record<string, string | undefined>) => call<T>("GET", withQuery(path, params)),
  post: <T>(path: string, body: unknown) => call<T>("POST", path, body),
  put: <T>(path: string, body: unknown) => call<T>("PUT", path, body),
  patch: <T>(path: string, body: unknown) => call<T>("PATCH", path, body),
  del: <T>(path: string) => call<T>("DELETE", path),
  signIn: (key: string) => call<Session>("POST", "/v1/session", { key }, { quiet401: true }),
  session: () => call<Session>("GET", "/v1/session", undefined, { quiet401: true }),
};

export function withQuery(path: string, params?: Record<string, string | undefined>): string {
  if (!params) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
