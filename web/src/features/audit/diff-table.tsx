// Before and after of one audit entry, one row per field; changed fields stand out.
import { Badge, Box, Table, Text } from '@mantine/core';
import type { AuditEntryDto } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { diffFields, formatValue, type FieldChange } from './lib/diff.ts';

const ROW_BG: Record<FieldChange['kind'], string | undefined> = {
  added: 'var(--mantine-color-teal-light)',
  removed: 'var(--mantine-color-red-light)',
  changed: 'var(--mantine-color-yellow-light)',
  same: undefined,
};

function Value({ value, strike }: { value: unknown; strike?: boolean }) {
  const text = formatValue(value);
  return (
    <Text
      size="xs"
      ff="monospace"
      style={{
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-all',
        textDecoration: strike ? 'line-through' : undefined,
      }}
      c={value === undefined ? 'dimmed' : undefined}
    >
      {text}
    </Text>
  );
}

export function DiffTable({ entry }: { entry: AuditEntryDto }) {
  const t = useT();
  const rows = diffFields(entry.before, entry.after);
  // A creation or deletion changes every field: colour says it, a badge per row would be noise.
  const uniform = rows.every((r) => r.kind === rows[0]?.kind);
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('audit.noData')}
      </Text>
    );
  }
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table withTableBorder withColumnBorders verticalSpacing={4} fz="xs" data-testid="audit-diff">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={180}>{t('audit.field')}</Table.Th>
            <Table.Th>{t('audit.before')}</Table.Th>
            <Table.Th>{t('audit.after')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.field} style={{ background: ROW_BG[r.kind] }} data-changed={r.kind !== 'same'}>
              <Table.Td>
                <Text size="xs" ff="monospace" fw={r.kind === 'same' ? 400 : 700}>
                  {r.field}
                </Text>
                {r.kind !== 'same' && !uniform && (
                  <Badge
                    size="xs"
                    variant="light"
                    color={r.kind === 'added' ? 'teal' : r.kind === 'removed' ? 'red' : 'yellow'}
                    mt={2}
                  >
                    {t(`audit.kind.${r.kind}`)}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Value value={r.before} strike={r.kind === 'changed' || r.kind === 'removed'} />
              </Table.Td>
              <Table.Td>
                <Value value={r.after} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
