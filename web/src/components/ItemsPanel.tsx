/**
 * A list of items, newest first, loading the next page through the API's cursor as the end of
 * the list scrolls into view (and by a button, for keyboards). Matched words are highlighted.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api";
import { formatDateTime } from "../format";
import type { Item, ItemsPage } from "../types";
import { ErrorBox, Loading } from "./Status";

export function Highlighted({ item }: { item: Item }) {
  const parts: (string | preact.JSX.Element)[] = [];
  let at = 0;
  for (const h of [...item.highlights].sort((a, b) => a.start - b.start)) {
    if (h.start < at) continue;
    parts.push(item.text.slice(at, h.start), <mark>{item.text.slice(h.start, h.end)}</mark>);
    at = h.end;
  }
  parts.push(item.text.slice(at));
  return <>{parts}</>;
}

export function ItemsPanel({ path, params, tz, title }: { path: string; params: Record<string, string | undefined>; tz: string; title: string }) {
  const [items, setItems] = useState<Item[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const key = `${path}?${JSON.stringify(params)}`;
  const current = useRef(key);
  const sentinel = useRef<HTMLDivElement>(null);

  async function loadMore(reset = false) {
    if (loading && !reset) return;
    const mine = key;
    setLoading(true);
    try {
      const page = await api.get<ItemsPage>(path, { ...params, limit: "50", cursor: reset ? undefined : (cursor ?? undefined) });
      if (current.current !== mine) return;
      setItems((prev) => (reset ? page.items : [...prev, ...page.items]));
      setCursor(page.nextCursor);
      setError(null);
    } catch (err) {
      if (current.current === mine) setError(err);
    } finally {
      if (current.current === mine) setLoading(false);
    }
  }

  useEffect(() => {
    current.current = key;
    setItems([]);
    setCursor(undefined);
    void loadMore(true);
  }, [key]);

  useEffect(() => {
    const el = sentinel.current;
    if (!el || !cursor) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void loadMore());
    io.observe(el);
    return () => io.disconnect();
  }, [cursor, loading]);

  return (
    <section class="items" aria-label={title} data-testid="items-panel">
      <h3>{title}</h3>
      <ErrorBox error={error} />
      {items.length === 0 && !loading && !error ? <p class="muted">No items here.</p> : null}
      <ol class="item-list">
        {items.map((i) => (
          <li data-testid="item" data-id={i.externalId}>
            <div class="item-meta">
              <span class={`kind kind-${i.kind}`}>{i.kind}</span> {formatDateTime(i.at, tz)} · {i.source}/{i.externalId}
              {i.channel ? ` · ${i.channel}` : ""}
              {i.sentiment ? ` · ${i.sentiment}` : ""}
            </div>
            <p class="item-text">
              <Highlighted item={i} />
            </p>
          </li>
        ))}
      </ol>
      {loading ? <Loading what="items" /> : null}
      {cursor ? (
        <div ref={sentinel}>
          <button type="button" onClick={() => void loadMore()} disabled={loading}>
            Load more
          </button>
        </div>
      ) : null}
    </section>
  );
}

/** The items behind a chart point, in a closable panel under the chart. */
export function DrillPanel({ drill, tz, onClose }: { drill: { title: string; params: Record<string, string | undefined> }; tz: string; onClose: () => void }) {
  return (
    <div class="drill">
      <button type="button" class="close" onClick={onClose} aria-label="Close the items">
        ✕
      </button>
      <ItemsPanel path="/v1/items" params={drill.params} tz={tz} title={drill.title} />
    </div>
  );
}
