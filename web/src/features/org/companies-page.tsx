// The group's companies: search, create, edit and name each company's CISO.
import { useState } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  Select,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link } from 'react-router';
import { companiesKey, useCompanyLookup } from '../../shared/api/lookups.ts';
import { usePagedList } from '../../shared/api/paged.ts';
import { COMPANY_STATUSES, type CompanyDto } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { CompanyStatusBadge } from '../../shared/ui/badges.tsx';
import { EditIcon, PlusIcon, SearchIcon, ShieldIcon } from '../../shared/ui/icons.tsx';
import { LoadMore } from '../../shared/ui/load-more.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { CisoModal } from './ciso-modal.tsx';
import { CompanyFormModal } from './company-form-modal.tsx';

export function CompaniesPage() {
  const t = useT();
  const can = useCan();
  const lookup = useCompanyLookup();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const list = usePagedList<CompanyDto>([...companiesKey, 'list'], '/companies', { q: debouncedQ, status });
  const [editing, setEditing] = useState<CompanyDto | null | 'new'>(null);
  const [cisoFor, setCisoFor] = useState<CompanyDto | null>(null);

  return (
    <>
      <PageHeader
        title={t('nav.companies')}
        description={t('company.description')}
        actions={
          can('company.create') && (
            <Button leftSection={<PlusIcon />} onClick={() => setEditing('new')} data-testid="company-create">
              {t('company.create')}
            </Button>
          )
        }
      />
      <Group mb="md" gap="sm">
        <TextInput
          placeholder={t('company.searchPlaceholder')}
          leftSection={<SearchIcon size={16} />}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          w={320}
          data-testid="company-search"
        />
        <Select
          placeholder={t('company.status')}
          data={COMPANY_STATUSES.map((s) => ({ value: s, label: t(`companyStatus.${s}`) }))}
          value={status}
          onChange={setStatus}
          clearable
          w={180}
        />
      </Group>
      {list.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={list.error} t={t} />
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={820}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="company-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('company.legalName')}</Table.Th>
                <Table.Th>{t('company.shortCode')}</Table.Th>
                <Table.Th>{t('company.country')}</Table.Th>
                <Table.Th>{t('company.parent')}</Table.Th>
                <Table.Th>{t('company.status')}</Table.Th>
                <Table.Th>{t('company.cisoShort')}</Table.Th>
                <Table.Th w={90} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.loading && <TableSkeleton columns={7} />}
              {!list.loading && list.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text c="dimmed" ta="center" py="lg">
                      {debouncedQ || status ? t('common.nothingFound') : t('company.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.items.map((c) => {
                const parent = c.parentId ? lookup.byId.get(c.parentId) : undefined;
                return (
                  <Table.Tr key={c.id} data-testid="company-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/companies/${c.id}`} fw={500}>
                        {c.legalName}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text ff="monospace" size="sm">
                        {c.shortCode}
                      </Text>
                    </Table.Td>
                    <Table.Td>{c.country}</Table.Td>
                    <Table.Td>
                      {parent ? (
                        <Anchor component={Link} to={`/companies/${parent.id}`} size="sm">
                          {parent.shortCode}
                        </Anchor>
                      ) : (
                        <Text c="dimmed" size="sm">
                          —
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <CompanyStatusBadge status={c.status} />
                    </Table.Td>
                    <Table.Td>
                      {c.cisoName ?? (
                        <Text c="dimmed" size="sm">
                          {t('company.noCiso')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        {can('company.update') && (
                          <Tooltip label={t('common.edit')}>
                            <ActionIcon
                              variant="subtle"
                              onClick={() => setEditing(c)}
                              aria-label={t('common.edit')}
                              data-testid="company-edit"
                            >
                              <EditIcon />
                            </ActionIcon>
                          </Tooltip>
                        )}
                        {can('company.set_ciso') && (
                          <Tooltip label={t('company.setCiso')}>
                            <ActionIcon
                              variant="subtle"
                              onClick={() => setCisoFor(c)}
                              aria-label={t('company.setCiso')}
                              data-testid="company-set-ciso"
                            >
                              <ShieldIcon />
                            </ActionIcon>
                          </Tooltip>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <LoadMore
        hasMore={list.hasMore}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
        shown={list.items.length}
      />
      <CompanyFormModal
        opened={editing !== null}
        company={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
      />
      <CisoModal company={cisoFor} onClose={() => setCisoFor(null)} />
    </>
  );
}
