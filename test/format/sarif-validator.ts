import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv-draft-04';

/** The official SARIF 2.1.0 schema (draft-04), compiled once per test file. */
export const SARIF_SCHEMA = path.join(__dirname, '..', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json');

export function sarifValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  return ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA, 'utf8')));
}
