// Case-insensitive "contains" search that treats the user's text literally: % and _ match only themselves.
import { sql, type ExpressionBuilder } from 'kysely';

/** A LIKE pattern that matches `text` anywhere, case-folded, with ESCAPE '\'. */
export const containing = (text: string): string =>
  `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Eb = ExpressionBuilder<any, any>;

/** `lower(column) LIKE pattern ESCAPE '\'` for a pattern made by `containing`. */
export const likeLower = (eb: Eb, column: string, pattern: string) =>
  eb(sql`lower(${sql.ref(column)})`, 'like', sql`${pattern} escape '\\'`);
