// ESLint for the site's own scripts (make lint -> python -m generator lint-js).
// ESLint and its two helpers live in .bench/eslint/ (installed by generator/jslint.py), not in a
// node_modules beside this file: resolve them from there.
import { createRequire } from "node:module";

const require = createRequire(new URL("./.bench/eslint/package.json", import.meta.url));
const js = require("@eslint/js");
const globals = require("globals");

export default [
  { ignores: ["generator/assets/javascripts/plotly-basic.min.js"] },
  js.configs.recommended,
  {
    files: ["generator/assets/javascripts/**/*.js", "overrides/**/*.js"],
    languageOptions: {
      ecmaVersion: 2017,
      sourceType: "script",
      globals: {
        ...globals.browser,
        Plotly: "readonly", // the vendored plotly.js, loaded by charts.js on demand
        document$: "readonly", // Material for MkDocs' page observable (instant navigation)
        __md_get: "readonly", // Material's storage helpers, defined inline in every page's head
        __md_set: "readonly",
      },
    },
    rules: {
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
      eqeqeq: ["error", "always"],
      "no-var": "off",
      strict: ["error", "function"],
    },
  },
];
