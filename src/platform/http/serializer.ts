// Response serialization. In production the DTO is written as JSON directly; under test (or with
// MAMORI_VERIFY_RESPONSES=true) each response is also checked against its zod schema, and a field the
// schema does not declare fails the request, so that a DTO can never leak a column the contract hides.
import { safeEncode, type $ZodType } from 'zod/v4/core';
import { canonicalJson } from '../audit/chain.ts';
import { AppError } from '../errors.ts';

type CompilerInput = { schema: unknown; method: string; url: string };

export function responseSerializerCompiler(verify: boolean) {
  return ({ schema, method, url }: CompilerInput) => {
    const zschema = (
      schema && typeof schema === 'object' && 'properties' in schema
        ? (schema as { properties: unknown }).properties
        : schema
    ) as $ZodType;
    if (!verify) return (data: unknown) => JSON.stringify(data);
    return (data: unknown) => {
      const r = safeEncode(zschema, data);
      if (r.error) {
        throw new AppError(
          'response_contract',
          500,
          `The response of ${method} ${url} does not match its schema`,
          { expose: false, cause: r.error },
        );
      }
      if (canonicalJson(r.data) !== canonicalJson(JSON.parse(JSON.stringify(data)))) {
        throw new AppError(
          'response_contract',
          500,
          `The response of ${method} ${url} carries fields its schema does not declare`,
          { expose: false },
        );
      }
      return JSON.stringify(r.data);
    };
  };
}
