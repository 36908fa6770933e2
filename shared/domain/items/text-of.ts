/** The text of a stored item that enrichment reads: what the customer wrote. Pure. */
export function textOf(item: { kind: string; subject?: unknown; body?: unknown; text?: unknown; comment?: unknown }): string {
  switch (item.kind) {
    case "ticket":
      return [item.subject, item.body].filter((s): s is string => typeof s === "string" && s.length > 0).join("\n\n");
    case "mention":
      return typeof item.text === "string" ? item.text : "";
    case "survey":
      return typeof item.comment === "string" ? item.comment : "";
    default:
      return "";
  }
}
