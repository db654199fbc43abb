// The domain inventory: every sending and parked domain of the group with its posture at the last scan, filtered
// in the URL; adding a domain, and rescanning all of them (or one company's) with the scheduler's progress.
import { useState } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  Select,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import { usePagedList } from '../../shared/api/paged.ts';
import { DMARC_STAGES, DOMAIN_ROLES, type EmailDomainDto } from '../../shared/api/types.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { EditIcon, PlusIcon, SearchIcon } from '../../shared/ui/icons.tsx';
import { LoadMore } from '../../shared/ui/load-more.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { DomainFormModal } from './domain-form-modal.tsx';
import { DOMAIN_FILTERS, emailKeys, type DomainFilter } from './email.api.ts';
import { CountBadges, PostureBadges, RoleBadge } from './ui/badges.tsx';
import { CompanyCode } from '../../shared/ui/company-code.tsx';
import { RescanButton, RescanProgress, useRescan } from './ui/rescan.tsx';

export function DomainsPage() {
  const t = useT();
  const can = useCan();
  const formatDate = useFormatDate();
  const lookup = useCompanyLookup();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filter = (name: DomainFilter) => params.get(name) ?? '';
  const setFilter = (name: DomainFilter, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  const [q, setQ] = useState(filter('q'));
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const query = Object.fromEntries(DOMAIN_FILTERS.map((f) => [f, filter(f)])) as Record<DomainFilter, string>;
  query.q = debouncedQ;
  const companyId = filter('companyId');
  const anyFilter = DOMAIN_FILTERS.some((f) => filter(f));

  const list = usePagedList<EmailDomainDto>(emailKeys.domains, '/email/domains', query);
  const [editing, setEditing] = useState<EmailDomainDto | null | 'new'>(null);
  const rescan = useRescan();
  const canWrite = can('email.write');
  const columns = canWrite ? 8 : 7;

  return (
    <>
      <PageHeader
        title={t('email.domains.title')}
        description={t('email.domains.description')}
        actions={
          canWrite && (
            <>
              <RescanButton rescan={rescan} companyId={companyId || null} />
              <Button
                leftSection={<PlusIcon />}
                onClick={() => setEditing('new')}
                data-testid="email-domain-create"
              >
                {t('email.domain.create')}
              </Button>
            </>
          )
        }
      />
      <RescanProgress rescan={rescan} />
      <Group mb="sm" gap="sm" align="center">
        <TextInput
          placeholder={t('email.domains.search')}
          leftSection={<SearchIcon size={16} />}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setFilter('q', e.currentTarget.value.trim() || null);
          }}
          w={240}
          data-testid="email-domains-search"
        />
        <Select
          placeholder={t('email.company')}
          data={lookup.options}
          value={companyId || null}
          onChange={(v) => setFilter('companyId', v)}
          searchable
          clearable
          w={240}
          data-testid="email-domains-company"
        />
        <Select
          placeholder={t('email.domain.role')}
          data={DOMAIN_ROLES.map((r) => ({ value: r, label: t(`email.role.${r}`) }))}
          value={filter('role') || null}
          onChange={(v) => setFilter('role', v)}
          clearable
          w={170}
          data-testid="email-domains-role"
        />
        <Select
          placeholder={t('email.dmarcPolicy')}
          data={DMARC_STAGES.map((s) => ({ value: s, label: t(`email.stage.${s}`) }))}
          value={filter('dmarcPolicy') || null}
          onChange={(v) => setFilter('dmarcPolicy', v)}
          clearable
          w={200}
          data-testid="email-domains-dmarc"
        />
        <Switch
          label={t('email.domains.failing')}
          checked={filter('failing') === 'true'}
          onChange={(e) => setFilter('failing', e.currentTarget.checked ? 'true' : null)}
          data-testid="email-domains-failing"
        />
        {anyFilter && (
          <Button
            variant="subtle"
            color="gray"
            onClick={() => {
              setQ('');
              setParams(new URLSearchParams(), { replace: true });
            }}
          >
            {t('common.clearFilters')}
          </Button>
        )}
      </Group>
      {list.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={list.error} t={t} />
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={980}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="email-domains-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('email.domain.name')}</Table.Th>
                <Table.Th>{t('email.company')}</Table.Th>
                <Table.Th>{t('email.domain.role')}</Table.Th>
                <Table.Th>{t('email.posture')}</Table.Th>
                <Table.Th>{t('email.findings')}</Table.Th>
                <Table.Th>{t('email.lastScanned')}</Table.Th>
                <Table.Th>{t('email.nextScan')}</Table.Th>
                {canWrite && <Table.Th w={50} />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.loading && <TableSkeleton columns={columns} />}
              {!list.loading && list.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={columns}>
                    <Text c="dimmed" ta="center" py="lg">
                      {anyFilter ? t('common.nothingFound') : t('email.domains.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.items.map((d) => (
                <Table.Tr key={d.id} data-testid="email-domain-row">
                  <Table.Td maw={320}>
                    <Anchor component={Link} to={`/email/domains/${d.id}`} fw={600} size="sm">
                      {d.name}
                    </Anchor>
                    <Text size="xs" c="dimmed" truncate>
                      {d.service}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <CompanyCode companyId={d.companyId} />
                  </Table.Td>
                  <Table.Td>
                    <RoleBadge role={d.role} />
                  </Table.Td>
                  <Table.Td>
                    <PostureBadges posture={d.posture} role={d.role} compact size="xs" />
                  </Table.Td>
                  <Table.Td>
                    <CountBadges errors={d.errors} warnings={d.warnings} size="xs" />
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                      {d.lastScannedAt ? formatDate(d.lastScannedAt) : t('email.notScanned')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {formatDate(d.nextScanAt)}
                    </Text>
                  </Table.Td>
                  {canWrite && (
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        onClick={() => setEditing(d)}
                        aria-label={t('common.edit')}
                        data-testid="email-domain-edit"
                      >
                        <EditIcon />
                      </ActionIcon>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
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
      <DomainFormModal
        opened={editing !== null}
        domain={editing === 'new' ? null : editing}
        defaultCompanyId={companyId || null}
        onClose={() => setEditing(null)}
        onSaved={(saved) => {
          // A new domain is scanned at the scheduler's next round; its page offers to scan it now.
          if (editing === 'new') void navigate(`/email/domains/${saved.id}`);
        }}
      />
    </>
  );
}
