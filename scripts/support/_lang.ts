import { makeTextAnalyzer } from "../../shared/domain/nlp/index";
import { loadAirline } from "./sentiment-data";
const texts = loadAirline().rows.map((r) => r.text);
const a = makeTextAnalyzer();
const c: Record<string, number> = {};
for (const t of texts) { const l = a.analyze(t).language; c[l] = (c[l] ?? 0) + 1; }
console.log(c);
