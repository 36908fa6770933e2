import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BodyShapeError, parseItems } from "../../../shared/domain/ingest/parse-items";

const schema = z.object({ id: z.string(), n: z.number().int().min(0) }).strict();

describe("parseItems", () => {
  it("takes one item", () => {
    expect(parseItems({ id: "a", n: 1 }, schema)).toEqual({ batch: false, valid: [{ index: 0, item: { id: "a", n: 1 } }], errors: [] });
  });

  it("keeps valid items of a batch and reports each invalid one with its field path", () => {
    const out = parseItems({ items: [{ id: "a", n: 1 }, { id: "b", n: -1 }, { n: 2, extra: true }] }, schema);
    expect(out.valid.map((v) => v.index)).toEqual([0]);
    expect(out.errors).toEqual([
      { index: 1, issues: [{ path: "items.1.n", message: expect.stringMatching(/>=0|0/) }] },
      {
        index: 2,
        issues: expect.arrayContaining([
          { path: "items.2.id", message: "is required" },
          { path: "items.2", message: 'unknown field(s) "extra"' },
        ]),
      },
    ]);
  });

  it.each([
    [null, /JSON object/],
    [[1, 2], /JSON object/],
    [{ items: {} }, /must be an array/],
    [{ items: [] }, /at least one/],
    [{ items: [{}], more: 1 }, /only "items"/],
  ])("refuses the body shape %j", (body, message) => {
    expect(() => parseItems(body, schema)).toThrow(BodyShapeError);
    expect(() => parseItems(body, schema)).toThrow(message);
  });
});
