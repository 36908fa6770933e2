/** Settings (admin keys only): API keys, webhook set-up per helpdesk, the job queues, items left out of the trends, and importing a file. */
import { lazy, Suspense } from "preact/compat";
import { useState } from "preact/hooks";
import { api } from "../api";
import { ErrorBox, Loading } from "../components/Status";
import { formatCount, formatDateTime } from "../format";
import { browserTimeZone } from "../period";
import type { WorkspaceInfo } from "../types";
import { useApi } from "../use-api";

const ImportPanel = lazy(() => import("./ImportPanel"));

const SCOPES = ["ingest", "read", "searches", "admin"] as const;
const PROVIDERS = [
  { id: "zendesk", name: "Zendesk", secret: "the webhook's signing secret" },
  { id: "freshdesk", name: "Freshdesk", secret: "a token you also put in the webhook's Authorization header" },
  { id: "intercom", name: "Intercom", secret: "the app's client secret" },
  { id: "helpscout", name: "Help Scout", secret: "the webhook's secret key" },
  { id: "front", name: "Front", secret: "the app's signing secret" },
  { id: "generic", name: "Any other (generic JSON)", secret: "a shared secret for the HMAC-SHA256 signature" },
];

interface KeyInfo {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  expiresAt: string | null;
}

export function SettingsPage({ workspace }: { workspace: string }) {
  return (
    <main>
      <h1>Settings</h1>
      <Keys />
      <Webhooks workspace={workspace} />
      <section class="panel">
        <h2>Job queues</h2>
        <p>
          What the workers have waiting, running and failed, per queue: <a href="/admin/queues" target="_blank" rel="noopener">open the queue board</a> (Bull Board).
        </p>
      </section>
      <LeftOut />
      <Suspense fallback={<Loading what="the importer" />}>
        <ImportPanel />
      </Suspense>
    </main>
  );
}

/** Items stored but left out of the trends, with the drain's reason (GET /v1/workspace). */
function LeftOut() {
  const info = useApi(() => api.get<WorkspaceInfo>("/v1/workspace"), []);
  const q = info.data?.quarantined;
  const tz = browserTimeZone();
  return (
    <section class="panel" id="left-out" aria-labelledby="left-out-h">
      <h2 id="left-out-h">Items left out of the trends</h2>
      <ErrorBox error={info.error} />
      {q && q.count === 0 ? <p class="muted">None: every stored item is counted.</p> : null}
      {q && q.count > 0 ? (
        <>
          <p>
            {formatCount(q.count)} stored {q.count === 1 ? "item is" : "items are"} left out of every figure: the pipeline could not count{" "}
            {q.count === 1 ? "it" : "them"} (the reason is logged too). {q.items.length < q.count ? `The first ${q.items.length}:` : ""}
          </p>
          <table data-testid="left-out">
            <thead>
              <tr><th>Item</th><th>Why</th><th>Since</th></tr>
            </thead>
            <tbody>
              {q.items.map((i) => (
                <tr><td><code>{i.id}</code></td><td>{i.reason}</td><td>{formatDateTime(i.at, tz)}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

function Keys() {
  const keys = useApi(() => api.get<{ keys: KeyInfo[] }>("/v1/keys"), []);
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>(["read"]);
  const [expires, setExpires] = useState("");
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const tz = browserTimeZone();
  async function create(e: Event) {
    e.preventDefault();
    try {
      // A key given an expiry day stops working at the start of that day, in this browser's zone.
      const expiresAt = expires ? new Date(`${expires}T00:00:00`).toISOString() : undefined;
      const k = await api.post<{ key: string; name: string }>("/v1/keys", { name, scopes, ...(expiresAt ? { expiresAt } : {}) });
      setCreated(k);
      setName("");
      setExpires("");
      setError(null);
      keys.reload();
    } catch (err) {
      setError(err);
    }
  }
  async function revoke(k: KeyInfo) {
    if (!confirm(`Revoke the key "${k.name}" (${k.prefix}…)? Whatever uses it stops working.`)) return;
    try {
      await api.del(`/v1/keys/${k.id}`);
      keys.reload();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section class="panel" aria-labelledby="keys-h">
      <h2 id="keys-h">API keys</h2>
      <ErrorBox error={keys.error ?? error} />
      {keys.data ? (
        <table data-testid="keys">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col">State</th></tr>
          </thead>
          <tbody>
            {keys.data.keys.map((k) => (
              <tr data-id={k.id}>
                <td>{k.name}</td>
                <td><code>{k.prefix}…</code></td>
                <td>{k.scopes.join(", ")}</td>
                <td>{formatDateTime(k.createdAt, tz)}</td>
                <td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt, tz) : "never"}</td>
                <td>{k.expiresAt ? `${Date.parse(k.expiresAt) <= Date.now() ? "expired " : ""}${formatDateTime(k.expiresAt, tz)}` : "never"}</td>
                <td>{k.revokedAt ? `revoked ${formatDateTime(k.revokedAt, tz)}` : <button type="button" onClick={() => void revoke(k)}>Revoke {k.name}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <Loading what="keys" />}
      <form onSubmit={create} class="inline-form">
        <label>Name <input value={name} required maxLength={100} onInput={(e) => setName(e.currentTarget.value)} /></label>
        <label>Expires on (optional) <input type="date" value={expires} onInput={(e) => setExpires(e.currentTarget.value)} /></label>
        <fieldset>
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <label>
              <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes(e.currentTarget.checked ? [...scopes, s] : scopes.filter((x) => x !== s))} /> {s}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={!name.trim() || scopes.length === 0}>Create key</button>
      </form>
      {created ? (
        <div class="notice" role="status">
          <p>The key “{created.name}” — copy it now, it is shown only this once:</p>
          <code class="secret" data-testid="new-key">{created.key}</code>
        </div>
      ) : null}
    </section>
  );
}

function Webhooks({ workspace }: { workspace: string }) {
  const [provider, setProvider] = useState(PROVIDERS[0]!.id);
  const [secret, setSecret] = useState("");
  const [state, setState] = useState<{ ok?: string; error?: unknown }>({});
  const p = PROVIDERS.find((x) => x.id === provider)!;
  const url = `${location.origin}/v1/webhooks/${provider}/${encodeURIComponent(workspace)}`;
  async function save(e: Event) {
    e.preventDefault();
    try {
      await api.put(`/v1/webhooks/${provider}/secret`, { secret });
      setSecret("");
      setState({ ok: `The ${p.name} secret is set; deliveries signed with it are accepted.` });
    } catch (error) {
      setState({ error });
    }
  }
  return (
    <section class="panel" aria-labelledby="webhooks-h">
      <h2 id="webhooks-h">Helpdesk webhooks</h2>
      <label>Helpdesk <select value={provider} onChange={(e) => { setProvider(e.currentTarget.value); setState({}); }}>
        {PROVIDERS.map((x) => <option value={x.id}>{x.name}</option>)}
      </select></label>
      <p>Paste this URL into {p.name}'s webhook settings:</p>
      <p><code class="secret" data-testid="webhook-url">{url}</code> <button type="button" onClick={() => void navigator.clipboard?.writeText(url)}>Copy</button></p>
      <form onSubmit={save} class="inline-form">
        <label>Secret ({p.secret}) <input type="password" autocomplete="off" value={secret} minLength={16} required onInput={(e) => setSecret(e.currentTarget.value)} /></label>
        <button type="submit">Set the secret</button>
      </form>
      {state.ok ? <p class="ok" role="status">{state.ok}</p> : null}
      <ErrorBox error={state.error} />
    </section>
  );
}
