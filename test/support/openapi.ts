// Reading the service's OpenAPI document as a contract: its schemas turned into JSON Schema for
// ajv (OpenAPI 3.0's `nullable` becomes a union with null), and answers checked against them.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

type Schema = Record<string, unknown>;

export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const { nullable, example: _example, ...rest } = schema as Schema;
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, key === 'enum' || key === 'required' ? value : toJsonSchema(value)]));
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));

/** The problems of `value` against a dereferenced OpenAPI schema; empty when it conforms. */
export function schemaProblems(schema: unknown, value: unknown): string[] {
  const validate = ajv.compile(toJsonSchema(schema) as Schema);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}
