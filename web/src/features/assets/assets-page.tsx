// The information-asset inventory: filters on every field, a C x I heat map, selection and bulk edit,
// CSV import and export.
import { useState } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Collapse,
  Group,
  Paper,
  Select,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import { usePagedList } from '../../shared/api/paged.ts';
import {
  ASSET_TYPES,
  LIFECYCLE_STATES,
  PERSONAL_DATA_CATEGORIES,
  type AssetDto,
} from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { DownloadIcon, EditIcon, PlusIcon, SearchIcon, UploadIcon } from '../../shared/ui/icons.tsx';
import { LoadMore } from '../../shared/ui/load-more.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { CiaBadges, FlagBadges, LifecycleBadge, TypeLabel } from './asset-badges.tsx';
import { AssetFormModal } from './asset-form-modal.tsx';
import { DepartmentSelect, PersonPicker } from './asset-pickers.tsx';
import { assetKeys, assetsExportUrl, FILTERS, getSummary, type FilterName } from './assets.api.ts';
import { BulkEditModal } from './bulk-edit-modal.tsx';
import { ClassificationHeatmap } from './classification-heatmap.tsx';
import { ScaleModal } from './scale-modal.tsx';

const LEVEL_OPTIONS = ['1', '2', '3', '4'].map((v) => ({ value: v, label: v }));
/** Filters shown under "More filters" (the others are always visible). */
const MORE: FilterName[] = [
  'departmentId',
  'ownerPersonId',
  'custodianPersonId',
  'location',
  'availability',
  'personalData',
  'personalDataCategory',
  'pciScope',
  'specifiedUserInfo',
];

export function AssetsPage() {
  const t = useT();
  const can = useCan();
  const lookup = useCompanyLookup();
  const [params, setParams] = useSearchParams();
  const filter = (name: FilterName) => params.get(name) ?? '';
  const setFilters = (values: Partial<Record<FilterName, string | null>>) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [name, value] of Object.entries(values)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        if ('companyId' in values) {
          next.delete('departmentId');
          next.delete('ownerPersonId');
          next.delete('custodianPersonId');
        }
        return next;
      },
      { replace: true },
    );
  };
  const setFilter = (name: FilterName, value: string | null) => setFilters({ [name]: value });

  const [q, setQ] = useState(filter('q'));
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [location, setLocation] = useState(filter('location'));
  const [debouncedLocation] = useDebouncedValue(location.trim(), 300);
  const query: Record<FilterName, string> = Object.fromEntries(FILTERS.map((f) => [f, filter(f)])) as Record<
    FilterName,
    string
  >;
  query.q = debouncedQ;
  query.location = debouncedLocation;
  const companyId = filter('companyId');
  const moreActive = MORE.filter((f) => filter(f)).length;
  const [moreOpen, setMoreOpen] = useState(moreActive > 0);

  const list = usePagedList<AssetDto>(assetKeys.list, '/assets', query);
  const summary = useQuery({
    queryKey: [...assetKeys.summary, { ...query, confidentiality: '', integrity: '' }],
    queryFn: ({ signal }) => getSummary({ ...query, confidentiality: '', integrity: '' }, signal),
  });
  const [editing, setEditing] = useState<AssetDto | null | 'new'>(null);
  const [selected, setSelected] = useState<Map<string, AssetDto>>(new Map());
  const [bulkOpen, setBulkOpen] = useState(false);
  const [scaleOpen, setScaleOpen] = useState(false);
  const canWrite = can('asset.write');

  const toggle = (a: AssetDto) =>
    setSelected((s) => {
      const next = new Map(s);
      if (next.has(a.id)) next.delete(a.id);
      else next.set(a.id, a);
      return next;
    });
  const allShown = list.items.length > 0 && list.items.every((a) => selected.has(a.id));
  const toggleAll = () =>
    setSelected((s) => {
      const next = new Map(s);
      if (allShown) for (const a of list.items) next.delete(a.id);
      else for (const a of list.items) next.set(a.id, a);
      return next;
    });
  const anyFilter = FILTERS.some((f) => filter(f));

  const flagSelect = (name: 'personalData' | 'pciScope' | 'specifiedUserInfo', label: string) => (
    <Select
      placeholder={label}
      aria-label={label}
      data={[
        { value: 'true', label: `${label}: ${t('asset.yes')}` },
        { value: 'false', label: `${label}: ${t('asset.no')}` },
      ]}
      value={filter(name) || null}
      onChange={(v) => setFilter(name, v)}
      clearable
      w={270}
      data-testid={`assets-filter-${name}`}
    />
  );

  return (
    <>
      <PageHeader
        title={t('nav.assets')}
        description={t('asset.pageDescription')}
        actions={
          <>
            {canWrite && (
              <Button variant="subtle" onClick={() => setScaleOpen(true)} data-testid="asset-scales">
                {t('asset.scaleTitle')}
              </Button>
            )}
            <Button
              variant="default"
              component="a"
              href={assetsExportUrl(query)}
              download
              leftSection={<DownloadIcon />}
              data-testid="assets-export"
            >
              {t('asset.export')}
            </Button>
            {canWrite && (
              <Button
                variant="default"
                component={Link}
                to="/assets/import"
                leftSection={<UploadIcon />}
                data-testid="assets-import"
              >
                {t('asset.import')}
              </Button>
            )}
            {canWrite && (
              <Button leftSection={<PlusIcon />} onClick={() => setEditing('new')} data-testid="asset-create">
                {t('asset.create')}
              </Button>
            )}
          </>
        }
      />
      <Paper withBorder radius="md" p="md" mb="md">
        <ClassificationHeatmap
          summary={summary.data}
          selected={{
            confidentiality: filter('confidentiality') ? Number(filter('confidentiality')) : null,
            integrity: filter('integrity') ? Number(filter('integrity')) : null,
          }}
          onSelect={(cell) =>
            setFilters({
              confidentiality: cell ? String(cell.confidentiality) : null,
              integrity: cell ? String(cell.integrity) : null,
            })
          }
        />
      </Paper>
      <Group mb="sm" gap="sm" align="flex-end">
        <TextInput
          placeholder={t('asset.searchPlaceholder')}
          leftSection={<SearchIcon size={16} />}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setFilter('q', e.currentTarget.value.trim() || null);
          }}
          w={260}
          data-testid="assets-search"
        />
        <Select
          placeholder={t('asset.company')}
          data={lookup.options}
          value={companyId || null}
          onChange={(v) => setFilter('companyId', v)}
          searchable
          clearable
          w={240}
          data-testid="assets-filter-company"
        />
        <Select
          placeholder={t('asset.type')}
          data={ASSET_TYPES.map((x) => ({ value: x, label: t(`assetType.${x}`) }))}
          value={filter('assetType') || null}
          onChange={(v) => setFilter('assetType', v)}
          clearable
          w={210}
          data-testid="assets-filter-type"
        />
        <Select
          placeholder={t('asset.lifecycle')}
          data={LIFECYCLE_STATES.map((x) => ({ value: x, label: t(`lifecycle.${x}`) }))}
          value={filter('lifecycle') || null}
          onChange={(v) => setFilter('lifecycle', v)}
          clearable
          w={150}
          data-testid="assets-filter-lifecycle"
        />
        <Select
          placeholder={t('asset.confidentiality')}
          data={LEVEL_OPTIONS}
          value={filter('confidentiality') || null}
          onChange={(v) => setFilter('confidentiality', v)}
          clearable
          w={150}
          data-testid="assets-filter-confidentiality"
        />
        <Select
          placeholder={t('asset.integrity')}
          data={LEVEL_OPTIONS}
          value={filter('integrity') || null}
          onChange={(v) => setFilter('integrity', v)}
          clearable
          w={150}
          data-testid="assets-filter-integrity"
        />
        <Button variant="subtle" onClick={() => setMoreOpen((o) => !o)} data-testid="assets-more-filters">
          {t('asset.moreFilters')}
          {moreActive > 0 && (
            <Badge size="xs" ml={6} circle>
              {moreActive}
            </Badge>
          )}
        </Button>
        {anyFilter && (
          <Button
            variant="subtle"
            color="gray"
            onClick={() => {
              setQ('');
              setLocation('');
              setParams(new URLSearchParams(), { replace: true });
            }}
          >
            {t('common.clearFilters')}
          </Button>
        )}
      </Group>
      <Collapse expanded={moreOpen}>
        <Group mb="md" gap="sm" align="flex-end">
          <DepartmentSelect
            placeholder={t('asset.department')}
            companyId={companyId || null}
            value={filter('departmentId') || null}
            onChange={(v) => setFilter('departmentId', v)}
            clearable
            w={220}
            data-testid="assets-filter-department"
          />
          {can('person.read') && (
            <>
              <PersonPicker
                placeholder={t('asset.owner')}
                companyId={companyId || null}
                value={filter('ownerPersonId') || null}
                onChange={(v) => setFilter('ownerPersonId', v)}
                clearable
                w={220}
                data-testid="assets-filter-owner"
              />
              <PersonPicker
                placeholder={t('asset.custodian')}
                companyId={companyId || null}
                value={filter('custodianPersonId') || null}
                onChange={(v) => setFilter('custodianPersonId', v)}
                clearable
                w={220}
                data-testid="assets-filter-custodian"
              />
            </>
          )}
          <TextInput
            placeholder={t('asset.location')}
            value={location}
            onChange={(e) => {
              setLocation(e.currentTarget.value);
              setFilter('location', e.currentTarget.value.trim() || null);
            }}
            w={180}
            data-testid="assets-filter-location"
          />
          <Select
            placeholder={t('asset.availability')}
            data={LEVEL_OPTIONS}
            value={filter('availability') || null}
            onChange={(v) => setFilter('availability', v)}
            clearable
            w={150}
            data-testid="assets-filter-availability"
          />
          {flagSelect('personalData', t('asset.personalData'))}
          <Select
            placeholder={t('asset.categories')}
            data={PERSONAL_DATA_CATEGORIES.map((c) => ({ value: c, label: t(`pdCategory.${c}`) }))}
            value={filter('personalDataCategory') || null}
            onChange={(v) => setFilter('personalDataCategory', v)}
            clearable
            w={240}
            data-testid="assets-filter-category"
          />
          {flagSelect('pciScope', t('asset.pciScope'))}
          {flagSelect('specifiedUserInfo', t('asset.specifiedUserInfo'))}
        </Group>
      </Collapse>
      {list.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={list.error} t={t} />
        </Alert>
      )}
      {canWrite && selected.size > 0 && (
        <Paper withBorder radius="md" p="xs" mb="sm" bg="indigo.0" data-testid="assets-selection">
          <Group justify="space-between">
            <Text size="sm" fw={500}>
              {t('asset.selected', { count: selected.size })}
            </Text>
            <Group gap="xs">
              <Button size="xs" variant="subtle" color="gray" onClick={() => setSelected(new Map())}>
                {t('asset.clearSelection')}
              </Button>
              <Button size="xs" onClick={() => setBulkOpen(true)} data-testid="assets-bulk-edit">
                {t('asset.bulkEdit')}
              </Button>
            </Group>
          </Group>
        </Paper>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={1000}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="assets-table">
            <Table.Thead>
              <Table.Tr>
                {canWrite && (
                  <Table.Th w={36}>
                    <Checkbox
                      checked={allShown}
                      indeterminate={!allShown && list.items.some((a) => selected.has(a.id))}
                      onChange={toggleAll}
                      aria-label={t('asset.selectAll')}
                      data-testid="assets-select-all"
                    />
                  </Table.Th>
                )}
                <Table.Th>{t('asset.code')}</Table.Th>
                <Table.Th>{t('asset.nameType')}</Table.Th>
                <Table.Th>{t('asset.company')}</Table.Th>
                <Table.Th>{t('asset.owner')}</Table.Th>
                <Table.Th>{t('asset.cia')}</Table.Th>
                <Table.Th>{t('asset.flags')}</Table.Th>
                <Table.Th>{t('asset.lifecycle')}</Table.Th>
                {canWrite && <Table.Th w={50} />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.loading && <TableSkeleton columns={canWrite ? 9 : 7} />}
              {!list.loading && list.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={10}>
                    <Text c="dimmed" ta="center" py="lg">
                      {anyFilter ? t('common.nothingFound') : t('asset.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.items.map((a) => {
                const company = lookup.byId.get(a.companyId);
                return (
                  <Table.Tr
                    key={a.id}
                    data-testid="asset-row"
                    bg={selected.has(a.id) ? 'indigo.0' : undefined}
                  >
                    {canWrite && (
                      <Table.Td>
                        <Checkbox
                          checked={selected.has(a.id)}
                          onChange={() => toggle(a)}
                          aria-label={a.code}
                          data-testid="asset-select"
                        />
                      </Table.Td>
                    )}
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/assets/${a.id}`}
                        ff="monospace"
                        size="sm"
                        style={{ whiteSpace: 'nowrap' }}
                      >
                        {a.code}
                      </Anchor>
                    </Table.Td>
                    <Table.Td maw={340}>
                      <Text size="sm" fw={500} truncate>
                        {a.name}
                      </Text>
                      <Text size="xs" c="dimmed" component="div">
                        <TypeLabel type={a.assetType} />
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={company?.legalName ?? a.companyId} disabled={!company}>
                        <Text size="sm" ff="monospace">
                          {company?.shortCode ?? '…'}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {a.ownerName}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <CiaBadges asset={a} />
                    </Table.Td>
                    <Table.Td>
                      <FlagBadges asset={a} />
                    </Table.Td>
                    <Table.Td>
                      <LifecycleBadge lifecycle={a.lifecycle} />
                    </Table.Td>
                    {canWrite && (
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          onClick={() => setEditing(a)}
                          aria-label={t('common.edit')}
                          data-testid="asset-edit"
                        >
                          <EditIcon />
                        </ActionIcon>
                      </Table.Td>
                    )}
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
      <AssetFormModal
        opened={editing !== null}
        asset={editing === 'new' ? null : editing}
        defaultCompanyId={companyId || null}
        onClose={() => setEditing(null)}
      />
      <BulkEditModal
        opened={bulkOpen}
        assets={[...selected.values()].map((a) => list.items.find((x) => x.id === a.id) ?? a)}
        onClose={() => setBulkOpen(false)}
        onDone={() => {
          setBulkOpen(false);
          setSelected(new Map());
        }}
      />
      <ScaleModal
        opened={scaleOpen}
        onClose={() => setScaleOpen(false)}
        defaultCompanyId={companyId || null}
      />
    </>
  );
}
