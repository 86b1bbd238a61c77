import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed operations for clients of this server (the end-to-end tests, and any front end): the
 * schema comes from the printed SDL, so run `npm run schema` first (`npm run codegen` does both).
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/operations/*.graphql'],
  generates: {
    'test/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown', ID: 'string' },
        strictScalars: true,
        importExtension: '.js',
      },
    },
  },
  ignoreNoDocuments: false,
};

export default config;
