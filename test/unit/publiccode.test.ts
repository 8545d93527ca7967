import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import spdx from 'spdx-license-list';
import YAML from 'yaml';
import { PUBLICCODE_SCHEMA } from './publiccode-schema';

/** publiccode.yml (Developers Italia) validates against the standard's schema and matches the repository. */

const ROOT = path.resolve(__dirname, '../..');
const text = fs.readFileSync(path.join(ROOT, 'publiccode.yml'), 'utf8');

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile(PUBLICCODE_SCHEMA);
}

interface PublicCode {
  softwareVersion: string;
  releaseDate: string;
  legal: { license: string };
  description: Record<string, { screenshots?: string[] }>;
}

it('is valid YAML and validates against the publiccode.yml 0.4 schema', () => {
  const doc = YAML.parse(text, { strict: true, uniqueKeys: true }) as unknown;
  const validate = validator();
  const ok = validate(doc);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
});

it('the schema check can fail: a missing field, a long short description, an unknown category', () => {
  const validate = validator();
  const doc = YAML.parse(text) as Record<string, unknown> & { description: { it: Record<string, unknown> } };
  const { legal: _legal, ...withoutLegal } = doc;
  expect(validate(withoutLegal)).toBe(false);
  expect(validate({ ...doc, description: { it: { ...doc.description.it, shortDescription: 'x'.repeat(151) } } })).toBe(false);
  expect(validate({ ...doc, categories: ['social-emergencies'] })).toBe(false);
  expect(validate({ ...doc, maintenance: { type: 'internal' } })).toBe(false);
});

it('agrees with the repository: licence file and SPDX id, version, screenshots, release date', () => {
  const doc = YAML.parse(text) as PublicCode;
  expect(Object.keys(spdx)).toContain(doc.legal.license);
  expect(doc.legal.license).toBe('EUPL-1.2');
  expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^EUROPEAN UNION PUBLIC LICENCE v\. 1\.2/);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string };
  expect({ version: doc.softwareVersion, license: doc.legal.license }).toEqual({ version: pkg.version, license: pkg.license });
  for (const lang of Object.values(doc.description)) {
    for (const shot of lang.screenshots ?? []) expect(fs.existsSync(path.join(ROOT, shot))).toBe(true);
  }
  expect(Date.parse(`${doc.releaseDate}T00:00:00Z`)).toBeLessThanOrEqual(Date.now());
});
