import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".next-*/**",
      ".data/**",
      "lib/generated/**",
      "examples/api/schema.d.ts",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    // Playwright fixtures receive a `use` callback that is not React's hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    // The environment is read and validated in one place: lib/env.ts.
    files: ["app/**", "components/**", "lib/**"],
    ignores: ["lib/env.ts", "lib/clock.ts", "**/*.test.ts", "examples/**"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration from lib/env.ts." },
      ],
    },
  },
  {
    // Prisma stays inside lib/<domain>/ services; pages and handlers call them.
    files: ["app/**", "components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/db", "@/lib/generated/prisma/client"],
              message: "Call a lib/<domain> service instead.",
            },
          ],
        },
      ],
    },
  },
  {
    // Every user-visible string comes from the message catalogues (lib/i18n/messages),
    // so each language is complete: no literal text in JSX, nor in the attributes people read.
    files: ["app/**/*.tsx", "components/**/*.tsx"],
    rules: {
      "react/jsx-no-literals": [
        "error",
        {
          noStrings: true,
          ignoreProps: true,
          allowedStrings: [
            "Accord",
            "SHA-256",
            "—",
            "·",
            ":",
            "(",
            ")",
            "…)",
            "):",
            ",",
            ".",
            "/",
            "#",
            "→",
            "←",
            "…",
            "*",
            "|",
            "-",
            "–",
            "+",
            "×",
            "%",
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "JSXAttribute[name.name=/^(aria-label|title|placeholder|alt|label|hint|pendingLabel|confirm)$/] > Literal[value=/[A-Za-z\\u4e00-\\u9fff]/]",
          message: "User-visible text comes from the message catalogues (lib/i18n/messages).",
        },
      ],
    },
  },
];

export default config;
