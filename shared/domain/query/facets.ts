/**
 * The facet values stored on every item (`facets.*`), folded so field filters are case- and
 * accent-insensitive: `region:EU` matches region "eu", `team:"Équipe 2"` matches "equipe 2".
 * Pure: the enrichment worker calls {@link facetsOf} and stores the result beside `enrichment`.
 */
import type { Enrichment, ItemKind, MentionInput, SurveyInput, TicketInput } from "../models";
import { foldText } from "./fold";

/** Folded facet values; a missing value is absent (a filter on it never matches). */
export interface Facets {
  /** ticket and survey channel; mentions have none */
  channel?: string;
  /** ticket source (zendesk, ...), mention platform, survey source */
  source?: string;
  /** mentions only */
  platform?: string;
  kind: string;
  /** ticket tags; empty for mentions and surveys */
  tag: string[];
  team?: string;
  segment?: string;
  plan?: string;
  region?: string;
  /** the detected (or given) language, `enrichment.language` */
  lang?: string;
  /** `enrichment.sentiment.label`; absent when sentiment is null */
  sentiment?: string;
}

/**
 * A survey answer without its survey kind: facets do not read it, and a stored answer keeps it as
 * `surveyKind` (its `kind` is the item kind).
 */
export type SurveyAnswerFields = Omit<SurveyInput, "kind">;

const fold = (s: string | undefined): string | undefined => {
  if (s === undefined) return undefined;
  const f = foldText(s);
  return f === "" ? undefined : f;
};

function withoutUndefined(f: Facets): Facets {
  for (const k of Object.keys(f) as (keyof Facets)[]) if (f[k] === undefined) delete f[k];
  return f;
}

/**
 * Facets of a canonical item and its enrichment.
 * @param kind which schema `item` follows
 * @param item the parsed ticket, mention or survey answer
 * @param enrichment at least `language` and `sentiment`
 */
export function facetsOf(kind: "ticket", item: TicketInput, enrichment: Pick<Enrichment, "language" | "sentiment">): Facets;
export function facetsOf(kind: "mention", item: MentionInput, enrichment: Pick<Enrichment, "language" | "sentiment">): Facets;
export function facetsOf(kind: "survey", item: SurveyAnswerFields, enrichment: Pick<Enrichment, "language" | "sentiment">): Facets;
export function facetsOf(
  kind: ItemKind,
  item: TicketInput | MentionInput | SurveyAnswerFields,
  enrichment: Pick<Enrichment, "language" | "sentiment">,
): Facets;
export function facetsOf(
  kind: ItemKind,
  item: TicketInput | MentionInput | SurveyAnswerFields,
  enrichment: Pick<Enrichment, "language" | "sentiment">,
): Facets {
  const common = {
    kind,
    lang: fold(enrichment.language),
    sentiment: fold(enrichment.sentiment?.label),
  };
  switch (kind) {
    case "ticket": {
      const t = item as TicketInput;
      return withoutUndefined({
        ...common,
        channel: fold(t.channel),
        source: fold(t.source),
        tag: [...new Set(t.tags.map(foldText).filter((x) => x !== ""))],
        team: fold(t.team),
        segment: fold(t.customer.segment),
        plan: fold(t.customer.plan),
        region: fold(t.customer.region),
      });
    }
    case "mention": {
      const m = item as MentionInput;
      return withoutUndefined({ ...common, source: fold(m.platform), platform: fold(m.platform), tag: [] });
    }
    case "survey": {
      const s = item as SurveyAnswerFields;
      return withoutUndefined({
        ...common,
        channel: fold(s.channel),
        source: fold(s.source),
        tag: [],
        team: fold(s.team),
        segment: fold(s.customer.segment),
        plan: fold(s.customer.plan),
        region: fold(s.customer.region),
      });
    }
  }
}
