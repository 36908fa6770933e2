/** The dashboard: sign-in, then the pages a support lead and an analyst use. */
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, setSession, whenSignedOut, type Session } from "./api";
import { periodQueryOf } from "./components/PeriodPicker";
import { ErrorBox, Loading } from "./components/Status";
import { navigate, onLinkClick, useLocation } from "./router";
import { Overview } from "./pages/Overview";
import { TrendsPage } from "./pages/Trends";
import { SearchesPage } from "./pages/Searches";
import { SearchPage } from "./pages/Search";
import { SettingsPage } from "./pages/Settings";
import { AlertsPage } from "./pages/Alerts";
import { CustomersPage } from "./pages/Customers";
import "./styles.css";

function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    try {
      const s = await api.signIn(key.trim());
      setKey(""); // the key is not kept: the session cookie stands for it from now on
      onSignedIn(s);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? new Error("That key is unknown or revoked.") : err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <main class="signin">
      <h1>Undercurrent</h1>
      <form onSubmit={submit}>
        <label for="key">API key</label>
        <input id="key" type="password" autocomplete="off" value={key} required onInput={(e) => setKey(e.currentTarget.value)} />
        <p class="muted">
          A key with at least the <code>read</code> scope. Make one with <code>npm run cli -- keys create --workspace acme --scopes read,searches,admin</code>.
          The key is exchanged for a session cookie and not stored in the browser.
        </p>
        <ErrorBox error={error} />
        <button type="submit" disabled={busy || !key.trim()}>{busy ? "Signing in…" : "Sign in"}</button>
      </form>
    </main>
  );
}

function App() {
  const [session, setSess] = useState<Session | null | undefined>(undefined);
  const { path, params } = useLocation();
  const adopt = (s: Session | null) => {
    setSession(s);
    setSess(s);
  };
  useEffect(() => {
    whenSignedOut(() => adopt(null));
    api.session().then(adopt, () => adopt(null));
  }, []);
  if (session === undefined) return <Loading what="your session" />;
  if (session === null) return <SignIn onSignedIn={adopt} />;

  const admin = session.scopes.includes("admin");
  const canWriteSearches = admin || session.scopes.includes("searches");
  async function signOut() {
    try {
      await api.del("/v1/session");
    } finally {
      adopt(null);
      navigate("/");
    }
  }
  // Pages that show a period get the current one, so it survives moving between them.
  const withPeriod = new Set(["/", "/trends", "/searches", "/customers"]);
  const link = (href: string, label: string) => (
    <a href={withPeriod.has(href) ? href + periodQueryOf(params) : href} aria-current={(href === "/" ? path === "/" : path.startsWith(href)) ? "page" : undefined}>
      {label}
    </a>
  );
  let page;
  const searchMatch = /^\/searches\/(s[0-9a-f]{16})$/.exec(path);
  if (path === "/") page = <Overview params={params} />;
  else if (path === "/trends") page = <TrendsPage params={params} />;
  else if (path === "/searches") page = <SearchesPage canWrite={canWriteSearches} />;
  else if (searchMatch) page = <SearchPage id={searchMatch[1]!} params={params} canWrite={canWriteSearches} />;
  else if (path === "/customers") page = <CustomersPage params={params} canFollowUp={admin || session.scopes.includes("ingest")} />;
  else if (path === "/alerts") page = <AlertsPage canWrite={canWriteSearches} />;
  else if (path === "/settings" && admin) page = <SettingsPage workspace={session.workspace} />;
  else if (path === "/settings") page = <main><h1>Settings</h1><p>Settings need a key with the <code>admin</code> scope.</p></main>;
  else page = <main><h1>Not found</h1><p><a href="/">Back to the overview</a></p></main>;
  return (
    <div onClick={onLinkClick}>
      <header class="top">
        <span class="brand">Undercurrent</span>
        <nav aria-label="Main">
          {link("/", "Overview")}
          {link("/trends", "Trends")}
          {link("/searches", "Saved searches")}
          {link("/customers", "Customers")}
          {link("/alerts", "Alerts")}
          {admin ? link("/settings", "Settings") : null}
        </nav>
        <span class="who">
          {session.workspace} · {session.scopes.join(", ")}{" "}
          <button type="button" onClick={() => void signOut()}>Sign out</button>
        </span>
      </header>
      {page}
    </div>
  );
}

render(<App />, document.getElementById("app")!);
