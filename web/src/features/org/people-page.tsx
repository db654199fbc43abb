// People of the group: search and filter, create and edit, import from and export to the HR CSV.
import { useMemo, useState } from 'react';
import {
  ActionIcon,
  Alert,
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
import { useQueries } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import { usePagedList } from '../../shared/api/paged.ts';
import { PERSONNEL_CATEGORIES, type PersonDto } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { ActiveBadge } from '../../shared/ui/badges.tsx';
import { DownloadIcon, EditIcon, PlusIcon, SearchIcon, UploadIcon } from '../../shared/ui/icons.tsx';
import { LoadMore } from '../../shared/ui/load-more.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { listDepartments, orgKeys, peopleExportUrl } from './org.api.ts';
import { useDepartments } from './org.queries.ts';
import { PersonFormModal } from './person-form-modal.tsx';

type FilterName = 'q' | 'companyId' | 'departmentId' | 'personnelCategory' | 'active';

export function PeoplePage() {
  const t = useT();
  const can = useCan();
  const lookup = useCompanyLookup();
  const [params, setParams] = useSearchParams();
  const filter = (name: FilterName) => params.get(name) ?? '';
  const setFilter = (name: FilterName, value: string | null) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        if (name === 'companyId') next.delete('departmentId');
        return next;
      },
      { replace: true },
    );
  };

  const [q, setQ] = useState(filter('q'));
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const companyId = filter('companyId');
  const query = {
    q: debouncedQ,
    companyId,
    departmentId: filter('departmentId'),
    personnelCategory: filter('personnelCategory'),
    active: filter('active'),
  };
  const list = usePagedList<PersonDto>([...orgKeys.people, 'list'], '/people', query);
  const filterDepartments = useDepartments(companyId || null);
  const [editing, setEditing] = useState<PersonDto | null | 'new'>(null);

  // Department names of the companies on screen.
  const companyIds = useMemo(() => [...new Set(list.items.map((p) => p.companyId))], [list.items]);
  const departmentQueries = useQueries({
    queries: companyIds.map((id) => ({
      queryKey: orgKeys.departments(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => listDepartments(id, signal),
      enabled: can('department.read'),
      staleTime: 30_000,
    })),
  });
  const departmentName = new Map<string, string>();
  for (const q of departmentQueries) for (const d of q.data ?? []) departmentName.set(d.id, d.name);

  const canWrite = can('person.write');
  const exportQuery = { ...query, q: debouncedQ };

  return (
    <>
      <PageHeader
        title={t('nav.people')}
        description={t('people.description')}
        actions={
          <>
            <Button
              variant="default"
              component="a"
              href={peopleExportUrl(exportQuery)}
              download
              leftSection={<DownloadIcon />}
              data-testid="people-export"
            >
              {t('people.export')}
            </Button>
            {canWrite && (
              <Button
                variant="default"
                component={Link}
                to="/people/import"
                leftSection={<UploadIcon />}
                data-testid="people-import"
              >
                {t('people.import')}
              </Button>
            )}
            {canWrite && (
              <Button
                leftSection={<PlusIcon />}
                onClick={() => setEditing('new')}
                data-testid="person-create"
              >
                {t('person.create')}
              </Button>
            )}
          </>
        }
      />
      <Group mb="md" gap="sm" align="flex-end">
        <TextInput
          placeholder={t('people.searchPlaceholder')}
          leftSection={<SearchIcon size={16} />}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setFilter('q', e.currentTarget.value.trim() || null);
          }}
          w={260}
          data-testid="people-search"
        />
        <Select
          placeholder={t('person.company')}
          data={lookup.options}
          value={companyId || null}
          onChange={(v) => setFilter('companyId', v)}
          searchable
          clearable
          w={240}
          data-testid="people-filter-company"
        />
        <Select
          placeholder={t('person.department')}
          data={filterDepartments.flat.map((d) => ({ value: d.id, label: d.path }))}
          value={filter('departmentId') || null}
          onChange={(v) => setFilter('departmentId', v)}
          disabled={!companyId}
          searchable
          clearable
          w={220}
          data-testid="people-filter-department"
        />
        <Select
          placeholder={t('person.category')}
          data={PERSONNEL_CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))}
          value={filter('personnelCategory') || null}
          onChange={(v) => setFilter('personnelCategory', v)}
          clearable
          w={200}
          data-testid="people-filter-category"
        />
        <Select
          placeholder={t('person.active')}
          data={[
            { value: 'true', label: t('common.active') },
            { value: 'false', label: t('common.inactive') },
          ]}
          value={filter('active') || null}
          onChange={(v) => setFilter('active', v)}
          clearable
          w={140}
          data-testid="people-filter-active"
        />
      </Group>
      {list.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={list.error} t={t} />
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={900}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="people-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('person.employeeNumber')}</Table.Th>
                <Table.Th>{t('person.name')}</Table.Th>
                <Table.Th>{t('field.email')}</Table.Th>
                <Table.Th>{t('person.company')}</Table.Th>
                <Table.Th>{t('person.department')}</Table.Th>
                <Table.Th>{t('person.category')}</Table.Th>
                <Table.Th>{t('person.active')}</Table.Th>
                <Table.Th w={50} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.loading && <TableSkeleton columns={8} />}
              {!list.loading && list.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text c="dimmed" ta="center" py="lg">
                      {t('common.nothingFound')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.items.map((p) => {
                const company = lookup.byId.get(p.companyId);
                return (
                  <Table.Tr key={p.id} data-testid="person-row">
                    <Table.Td>
                      <Text ff="monospace" size="sm">
                        {p.employeeNumber}
                      </Text>
                    </Table.Td>
                    <Table.Td fw={500}>{p.name}</Table.Td>
                    <Table.Td>
                      <Text size="sm" c={p.email ? undefined : 'dimmed'}>
                        {p.email ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={company?.legalName ?? p.companyId} disabled={!company}>
                        <Text
                          size="sm"
                          ff="monospace"
                          component={Link}
                          to={`/companies/${p.companyId}`}
                          c="blue"
                        >
                          {company?.shortCode ?? '…'}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={p.departmentId ? undefined : 'dimmed'}>
                        {p.departmentId ? (departmentName.get(p.departmentId) ?? '…') : '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t(`category.${p.personnelCategory}`)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <ActiveBadge active={p.active} />
                    </Table.Td>
                    <Table.Td>
                      {canWrite && (
                        <ActionIcon
                          variant="subtle"
                          onClick={() => setEditing(p)}
                          aria-label={t('common.edit')}
                          data-testid="person-edit"
                        >
                          <EditIcon />
                        </ActionIcon>
                      )}
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
      <PersonFormModal
        opened={editing !== null}
        person={editing === 'new' ? null : editing}
        defaultCompanyId={companyId || null}
        onClose={() => setEditing(null)}
      />
    </>
  );
}
