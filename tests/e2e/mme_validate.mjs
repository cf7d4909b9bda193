// mme_validate.mjs — validates MME JSON documents against the MME JSON Schema with ajv (used
// by test_mme.sh): node mme_validate.mjs SCHEMA request|response FILE...
// Prints "ok FILE" per valid file, "invalid FILE: errors" otherwise; exit 1 when any is invalid.
// The schema is draft-04 (the reference server's); its keywords here mean the same under
// ajv's default draft, so "$schema" is dropped and unknown keywords ("links") are allowed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../browser/node_modules/'));
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

const [schemaPath, which, ...files] = process.argv.slice(2);
if (!schemaPath || !['request', 'response'].includes(which) || files.length === 0) {
  console.error('usage: node mme_validate.mjs SCHEMA request|response FILE...');
  process.exit(2);
}
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
delete schema.$schema;
schema.$id = 'mme-api';
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(schema);
const validate = ajv.getSchema(`mme-api#/definitions/${which}`);
let bad = 0;
for (const f of files) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(f, 'utf8'));
  } catch (e) {
    console.log(`invalid ${f}: not JSON: ${e.message}`);
    bad++;
    continue;
  }
  if (validate(doc)) {
    console.log(`ok ${f}`);
  } else {
    bad++;
    console.log(`invalid ${f}: ${ajv.errorsText(validate.errors)}`);
  }
}
process.exit(bad ? 1 : 0);
