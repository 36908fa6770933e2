// typescript-eslint's recommended rules (syntax only, no type information: a type-aware run costs
// minutes on a small machine, and `tsc --noEmit` checks the types) over every TypeScript file of
// the project. `npm run lint`; CI runs it. Departures from the recommended set, each with its reason:
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "web/dist/**", "node_modules/**", ".tmp/**", ".undercurrent/**", "coverage/**"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `const { a: _a, ...rest } = doc` drops a field on purpose, and `_job` names a parameter a
      // callback signature requires: an underscore says "unused by design".
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      // Input cleaning and the tokenizer match control characters on purpose (to strip them).
      "no-control-regex": "off",
    },
  },
  {
    files: ["test/**"],
    rules: {
      // Tests mutate parsed fixture JSON in place to build invalid payloads; typing each fixture
      // would add nothing the assertions do not already check.
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
);
