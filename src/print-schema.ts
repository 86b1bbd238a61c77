/**
 * `npm run schema` writes the printed SDL of the core (schema/core.graphql: a server with no
 * extension) and of the demo (schema/demo.graphql: with the contract example, as `npm start`
 * serves it); `npm run schema:check` fails when a committed file differs from what the code builds.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { createDemoSchema } from './demo-schema.js';
import { createSchema } from './graphql/schema.js';

const schemas = [
  { file: 'core.graphql', schema: createSchema() },
  { file: 'demo.graphql', schema: await createDemoSchema() },
];

let stale = false;
for (const { file, schema } of schemas) {
  const target = new URL(`../schema/${file}`, import.meta.url);
  const printed = `${printSchema(schema)}\n`;
  if (process.argv.includes('--check')) {
    const committed = await readFile(target, 'utf8').catch(() => '');
    if (committed !== printed) {
      console.error(`schema/${file} is stale: run \`npm run schema\` and commit the result.`);
      stale = true;
    } else {
      console.log(`schema/${file} is up to date.`);
    }
  } else {
    await writeFile(target, printed);
    console.log(`Wrote schema/${file}`);
  }
}
if (stale) process.exit(1);
