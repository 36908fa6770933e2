import { makeTextAnalyzer } from "../../shared/domain/nlp/index";
import { lexiconOf } from "../../shared/domain/nlp/lexicons";
const a = makeTextAnalyzer();
console.log(JSON.stringify(a.analyze("La aplicación no funciona desde ayer.", { language: "es" })));
const l = lexiconOf("es")!;
console.log(l.word.get("aplicacion"), l.word.get("funciona"), l.word.get("ayer"), l.word.get("desde"));
