/**
 * `npm run schema` writes the printed SDL to schema/schema.graphql; `npm run schema:check`
 * fails when the committed file differs from what the code builds.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { createSchema } from './graphql/schema.js';

const target = new URL('../schema/schema.graphql', import.meta.url);
const printed = `${printSchema(createSchema())}\n`;

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== printed) {
    console.error('schema/schema.graphql is stale: run `npm run schema` and commit the result.');
    process.exit(1);
  }
  console.log('schema/schema.graphql is up to date.');
} else {
  await writeFile(target, printed);
  console.log('Wrote schema/schema.graphql');
}
