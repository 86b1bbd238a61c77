import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed operations for clients of this server: the end-to-end tests and the web page. The schema
 * comes from the printed SDL, so run `npm run schema` first (`npm run codegen` does both).
 */
const shared = {
  useTypeImports: true,
  enumsAsTypes: true,
  scalars: { DateTime: 'string', JSON: 'unknown', ID: 'string' },
  strictScalars: true,
  importExtension: '.js',
} as const;

const config: CodegenConfig = {
  schema: 'schema/demo.graphql',
  generates: {
    'test/generated/': {
      documents: ['test/operations/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: shared,
    },
    // The page sends plain strings (documentMode 'string'), so the browser bundle needs no
    // GraphQL parser or printer at run time.
    'src/web/generated/': {
      documents: ['src/web/operations/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { ...shared, documentMode: 'string' },
    },
  },
  ignoreNoDocuments: false,
};

export default config;
