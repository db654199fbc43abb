// A domain's sending sources: address, reverse DNS name, the known service it belongs to, its mail and failures,
// the days it was seen, and whether the domain's SPF record authorises it.
import { ActionIcon, Badge, Group, Table, Text, Tooltip } from '@mantine/core';
import type { SourceDto } from '../../../shared/api/types.ts';
import { useT } from '../../../shared/i18n/i18n.tsx';
import { DownloadIcon } from '../../../shared/ui/icons.tsx';

export function SourcesTable({
  sources,
  kind,
  empty,
  csvHref,
}: {
  sources: readonly SourceDto[];
  kind: 'ours' | 'unknown' | 'passing';
  empty: string;
  /** The records of one source as CSV. */
  csvHref?: (ip: string) => string;
}) {
  const t = useT();
  if (sources.length === 0)
    return (
      <Text c="dimmed" size="sm" ta="center" py="lg" data-testid={`sources-${kind}-empty`}>
        {empty}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table verticalSpacing="xs" highlightOnHover data-testid={`sources-${kind}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('dmarc.source.ip')}</Table.Th>
            <Table.Th>{t('dmarc.source.name')}</Table.Th>
            <Table.Th ta="right">{t('dmarc.source.messages')}</Table.Th>
            <Table.Th ta="right">{kind === 'passing' ? t('dmarc.pass') : t('dmarc.fail')}</Table.Th>
            <Table.Th>{t('dmarc.source.seen')}</Table.Th>
            <Table.Th>SPF</Table.Th>
            {csvHref && <Table.Th w={40} />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sources.map((s) => (
            <Table.Tr key={s.ip} data-testid="source-row" data-ip={s.ip}>
              <Table.Td ff="monospace">
                <Text size="sm" ff="monospace">
                  {s.ip}
                </Text>
              </Table.Td>
              <Table.Td maw={320}>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" truncate c={s.name ? undefined : 'dimmed'}>
                    {s.name ?? t('dmarc.source.noName')}
                  </Text>
                  {s.service && (
                    <Badge size="xs" variant="light" color="indigo" tt="none" data-testid="source-service">
                      {s.service}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td ta="right">{s.messages.toLocaleString()}</Table.Td>
              <Table.Td ta="right">
                {kind === 'passing' ? (
                  s.pass.toLocaleString()
                ) : (
                  <Tooltip
                    label={t('dmarc.source.failDetail', { ours: s.failOurs, forwarded: s.failForwarded })}
                    multiline
                    maw={280}
                  >
                    <Text span size="sm" fw={700} c="red.8">
                      {s.fail.toLocaleString()}
                    </Text>
                  </Tooltip>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                  {s.firstDay === s.lastDay ? s.firstDay : `${s.firstDay} – ${s.lastDay}`}
                </Text>
              </Table.Td>
              <Table.Td>
                {s.spfAuthorised ? (
                  <Tooltip label={t('dmarc.source.spfAuthorisedHelp')} multiline maw={280}>
                    <Badge
                      size="xs"
                      color="teal"
                      variant="light"
                      tt="none"
                      data-testid="source-spf-authorised"
                    >
                      {t('dmarc.source.spfAuthorised')}
                    </Badge>
                  </Tooltip>
                ) : (
                  <Badge size="xs" color="gray" variant="outline" tt="none">
                    {t('dmarc.source.spfNotAuthorised')}
                  </Badge>
                )}
              </Table.Td>
              {csvHref && (
                <Table.Td>
                  <Tooltip label={t('dmarc.source.csv')}>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      component="a"
                      href={csvHref(s.ip)}
                      download
                      aria-label={t('dmarc.source.csv')}
                      data-testid="source-csv"
                    >
                      <DownloadIcon size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
