// The portal's one way to the gateway's JSON API (/api/v1, see
// services/web/README.md). Every call answers the parsed JSON body or
// throws an ApiError whose `message` is plain Chinese for the petitioner:
// the gateway's error.message when it sent one, else a polite fallback.
// POSTs carry the X-CSRF-Token from GET /api/v1/session.

const BASE = "/api/v1";

export class ApiError extends Error {
  // status: the HTTP status (0: no answer at all); code: the gateway's
  // error.code ("network" / "bad_response" when the page made it up);
  // retryAfter: seconds from Retry-After, or null; field: the request
  // field the message is about ("matter.title"), or "".
  constructor(status, code, message, retryAfter = null, field = "") {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
    this.field = field;
  }
}

const NETWORK_MESSAGE = "网络连接失败，请检查网络后重试。";
const BUSY_MESSAGE = "系统繁忙，请稍后再试。";

async function call(method, path, body, csrfToken) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (e) {
    throw new ApiError(0, "network", NETWORK_MESSAGE);
  }
  let data = null;
  const text = await response.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = null;
    }
  }
  if (!response.ok) {
    const error = data && data.error ? data.error : {};
    const retry = Number.parseInt(response.headers.get("Retry-After") || "", 10);
    const fallback = response.status >= 500 || response.status === 0 ? BUSY_MESSAGE : "请求未能完成，请稍后再试。";
    throw new ApiError(
      response.status,
      typeof error.code === "string" ? error.code : "http_" + response.status,
      typeof error.message === "string" && error.message ? error.message : fallback,
      Number.isFinite(retry) ? retry : null,
      typeof error.field === "string" ? error.field : "",
    );
  }
  if (data === null && text) throw new ApiError(response.status, "bad_response", BUSY_MESSAGE);
  return data || {};
}

export function getJson(path) {
  return call("GET", path);
}

// A client of the API whose session is GET `sessionPath` (an answer with
// its csrf_token): the portal's "/session", the console's
// "/console/session". Its POSTs carry that token.
export function client(sessionPath) {
  let sessionPromise = null;

  // GET sessionPath, once per page (again with refresh).
  function session({ refresh = false } = {}) {
    if (!sessionPromise || refresh) {
      sessionPromise = call("GET", sessionPath).catch((error) => {
        sessionPromise = null;
        throw error;
      });
    }
    return sessionPromise;
  }

  // Takes `answer` (with csrf_token) as the session from now on: a login
  // answers a new session and token.
  function remember(answer) {
    sessionPromise = Promise.resolve(answer);
  }

  // POSTs `body` with the session's CSRF token. If the gateway refuses the
  // token (403 with a csrf code: the session expired while the page was
  // open) the token is fetched again and the request sent once more.
  async function postJson(path, body) {
    const { csrf_token: token } = await session();
    try {
      return await call("POST", path, body, token);
    } catch (error) {
      if (error instanceof ApiError && error.status === 403 && /csrf/i.test(error.code)) {
        const fresh = await session({ refresh: true });
        return call("POST", path, body, fresh.csrf_token);
      }
      throw error;
    }
  }

  return { session, remember, getJson, postJson };
}

// The portal's: GET /api/v1/session, {csrf_token, petitioner_case}.
const portal = client("/session");
export const session = portal.session;
export const postJson = portal.postJson;

// The error page for failures a page cannot show in place.
export function goToErrorPage(reason) {
  const allowed = ["unavailable", "session", "not_found", "locked", "window", "unknown"];
  const safe = allowed.includes(reason) ? reason : "unknown";
  window.location.assign(`/error.html?reason=${safe}`);
}
