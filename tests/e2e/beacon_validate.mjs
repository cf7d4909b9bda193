// beacon_validate.mjs — validates Beacon v2 responses against the Beacon v2 JSON Schemas
// (draft 2020-12) with ajv 8 + ajv-formats, for tests/e2e/test_beacon.sh.
//
//   NODE_PATH=tests/browser/node_modules node tests/e2e/beacon_validate.mjs SCHEMAS LIST
//
// SCHEMAS is the beacon-v2 folder (framework/json, models/json). LIST has one line per
// document: "<schema path relative to SCHEMAS><TAB><document file>". Prints "ok FILE" or
// "invalid FILE: <errors>" per line; exits 1 when any is invalid, 2 on setup errors.
//
// The schemas refer to each other by relative paths and, in places, by their published
// URLs (raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/…): every schema is
// registered under its file URL and under that published URL, so nothing is fetched. The
// genomic-variation model also refers to GA4GH VRS 1.3, which is not in the folder: the
// stand-in below accepts only a VRS SequenceLocation for "Location" and nothing for
// MolecularVariation / SystemicVariation, so a variation validates only through the
// model's own LegacyVariation branch (the one genoshare writes), strictly.
//
// The framework's response schemas type each result as a bare object, so the entries are
// checked too, against the default model of the entity meta.returnedSchemas names:
// genomicVariant results against genomicVariations/defaultSchema.json, dataset collections
// against datasets/defaultSchema.json.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(join(process.cwd(), 'noop.js'));
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const [root, listFile] = process.argv.slice(2).map((p) => resolve(p));
if (!root || !listFile) {
  console.error('usage: beacon_validate.mjs SCHEMAS LIST');
  process.exit(2);
}
const published = 'https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

function register(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!name.startsWith('examples')) register(path);
      continue;
    }
    if (!name.endsWith('.json')) continue;
    const text = readFileSync(path, 'utf8');
    const rel = relative(root, path);
    ajv.addSchema({ ...JSON.parse(text), $id: pathToFileURL(path).href });
    ajv.addSchema({ ...JSON.parse(text), $id: published + rel });
  }
}
const interval = {
  type: 'object', required: ['type', 'start', 'end'],
  properties: {
    type: { const: 'SequenceInterval' },
    start: { $ref: '#/definitions/Number' }, end: { $ref: '#/definitions/Number' },
  },
};
ajv.addSchema({
  $id: 'https://w3id.org/ga4gh/schema/vrs/1.3/vrs.json',
  definitions: {
    Number: {
      type: 'object', required: ['type', 'value'], additionalProperties: false,
      properties: { type: { const: 'Number' }, value: { type: 'integer', minimum: 0 } },
    },
    Location: {
      type: 'object', required: ['type', 'sequence_id', 'interval'], additionalProperties: false,
      properties: {
        type: { const: 'SequenceLocation' },
        sequence_id: { type: 'string', pattern: '^[^:]+:.+$' },
        interval,
        _id: { type: 'string' },
      },
    },
    MolecularVariation: false,
    SystemicVariation: false,
  },
});
const model = 'models/json/beacon-v2-default-model/';
const entitySchemas = {
  genomicVariant: model + 'genomicVariations/defaultSchema.json',
  dataset: model + 'datasets/defaultSchema.json',
};

// The model's datasets schema refers to ../common/info.json, which the model does not
// have (the framework does): the framework's info schema stands in under that address.
function standIn(from, to) {
  const schema = JSON.parse(readFileSync(join(root, from), 'utf8'));
  ajv.addSchema({ ...schema, $id: pathToFileURL(join(root, to)).href });
  ajv.addSchema({ ...JSON.parse(JSON.stringify(schema)), $id: published + to });
}
try {
  register(join(root, 'framework', 'json'));
  register(join(root, 'models', 'json'));
  standIn('framework/json/common/info.json', 'models/json/beacon-v2-default-model/common/info.json');
  for (const schema of Object.values(entitySchemas)) ajv.getSchema(pathToFileURL(join(root, schema)).href);
} catch (e) {
  console.error(`cannot load the schemas: ${e.message}`);
  process.exit(2);
}

// The entries of doc (results of every result set, or collections) and their schema.
function entries(doc) {
  const entity = doc?.meta?.returnedSchemas?.[0]?.entityType;
  const schema = entitySchemas[entity];
  if (!schema || !doc.response) return [];
  const list = [];
  (doc.response.resultSets || []).forEach((set, i) =>
    (set.results || []).forEach((r, k) => list.push([`/response/resultSets/${i}/results/${k}`, r])));
  (doc.response.collections || []).forEach((c, k) => list.push([`/response/collections/${k}`, c]));
  const validate = ajv.getSchema(pathToFileURL(join(root, schema)).href);
  return list.map(([where, entry]) => [where, entry, validate]);
}

let bad = 0;
for (const line of readFileSync(listFile, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const [schema, file] = line.split('\t');
  const validate = ajv.getSchema(pathToFileURL(join(root, schema)).href);
  if (!validate) {
    console.log(`invalid ${file}: no schema ${schema}`);
    bad++;
    continue;
  }
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`invalid ${file}: not JSON: ${e.message}`);
    bad++;
    continue;
  }
  const why = [];
  if (!validate(doc))
    why.push(...validate.errors.slice(0, 4).map((e) => `${e.instancePath || '/'} ${e.message}`));
  for (const [where, entry, check] of entries(doc)) {
    if (!check) {
      why.push(`${where}: no model schema`);
    } else if (!check(entry)) {
      why.push(...check.errors.slice(0, 3).map((e) => `${where}${e.instancePath} ${e.message}`));
    }
  }
  if (why.length === 0) {
    console.log(`ok ${file}`);
    continue;
  }
  bad++;
  console.log(`invalid ${file}: ${why.slice(0, 5).join('; ')}`);
}
process.exit(bad ? 1 : 0);
