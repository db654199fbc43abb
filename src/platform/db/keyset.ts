// Keyset pagination in SQL: rows after (sortValue, id) in (sortColumn, idColumn) order.
import type { ExpressionBuilder } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Eb = ExpressionBuilder<any, any>;

export const keysetAfter = (
  eb: Eb,
  sortColumn: string,
  idColumn: string,
  [value, id]: readonly [string, string],
) => eb.or([eb(sortColumn, '>', value), eb.and([eb(sortColumn, '=', value), eb(idColumn, '>', id)])]);

/** The same for a newest-first list: rows before (sortValue, id) in descending (sortColumn, idColumn) order. */
export const keysetBefore = (
  eb: Eb,
  sortColumn: string,
  idColumn: string,
  [value, id]: readonly [string | number, string],
) => eb.or([eb(sortColumn, '<', value), eb.and([eb(sortColumn, '=', value), eb(idColumn, '<', id)])]);
