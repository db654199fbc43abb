// Applied controls: what each company does to meet its requirements, with the state of their evidence.
import { useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
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
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import { usePagedList } from '../../shared/api/paged.ts';
import type { AppliedControlDto } from '../../shared/api/types.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { PlusIcon, SearchIcon } from '../../shared/ui/icons.tsx';
import { LoadMore } from '../../shared/ui/load-more.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { complianceKeys } from './compliance.api.ts';
import { ControlFormModal } from './control-form-modal.tsx';
import { ControlStatusBadge, EvidenceStateBadge } from './ui/badges.tsx';

export function ControlsPage() {
  const t = useT();
  const can = useCan();
  const navigate = useNavigate();
  const formatDate = useFormatDate();
  const lookup = useCompanyLookup();
  const [params, setParams] = useSearchParams();
  const companyId = params.get('companyId') || null;
  const [q, setQ] = useState(params.get('q') ?? '');
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const list = usePagedList<AppliedControlDto>([...complianceKeys.controls, 'list'], '/applied-controls', {
    companyId,
    q: debouncedQ,
  });
  const [creating, setCreating] = useState(false);
  const setParam = (name: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  return (
    <>
      <PageHeader
        title={t('nav.controls')}
        description={t('control.description')}
        actions={
          can('compliance.write') && (
            <Button leftSection={<PlusIcon />} onClick={() => setCreating(true)} data-testid="control-create">
              {t('control.create')}
            </Button>
          )
        }
      />
      <Group mb="md" gap="sm">
        <Select
          placeholder={t('control.allCompanies')}
          data={lookup.options}
          value={companyId}
          onChange={(v) => setParam('companyId', v)}
          searchable
          clearable
          w={320}
          data-testid="control-filter-company"
        />
        <TextInput
          placeholder={t('control.searchPlaceholder')}
          leftSection={<SearchIcon size={16} />}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setParam('q', e.currentTarget.value.trim() || null);
          }}
          w={320}
          data-testid="control-search"
        />
      </Group>
      {list.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={list.error} t={t} />
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={960}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="control-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('control.code')}</Table.Th>
                <Table.Th>{t('control.name')}</Table.Th>
                <Table.Th>{t('control.company')}</Table.Th>
                <Table.Th>{t('control.status')}</Table.Th>
                <Table.Th>{t('control.requirements')}</Table.Th>
                <Table.Th>{t('control.evidence')}</Table.Th>
                <Table.Th>{t('common.updatedAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.loading && <TableSkeleton columns={7} />}
              {!list.loading && list.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text c="dimmed" ta="center" py="lg">
                      {debouncedQ || companyId ? t('common.nothingFound') : t('control.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.items.map((c) => {
                const company = lookup.byId.get(c.companyId);
                return (
                  <Table.Tr
                    key={c.id}
                    data-testid="control-row"
                    style={{ cursor: 'pointer' }}
                    onClick={() => void navigate(`/compliance/controls/${c.id}`)}
                  >
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/compliance/controls/${c.id}`}
                        ff="monospace"
                        fw={600}
                        size="sm"
                        onClick={(e) => e.stopPropagation()}
                      >
                        {c.code}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {c.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {company?.shortCode ?? '…'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <ControlStatusBadge status={c.status} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {c.requirements.slice(0, 4).map((r) => (
                          <Tooltip key={r.id} label={r.title}>
                            <Badge variant="light" color="indigo" tt="none" ff="monospace">
                              {r.ref}
                            </Badge>
                          </Tooltip>
                        ))}
                        {c.requirements.length > 4 && (
                          <Badge variant="light" color="gray">
                            +{c.requirements.length - 4}
                          </Badge>
                        )}
                        {c.requirements.length === 0 && (
                          <Text size="sm" c="dimmed">
                            —
                          </Text>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <EvidenceStateBadge state={c.evidenceState} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {formatDate(c.updatedAt, false)}
                      </Text>
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
      <ControlFormModal
        opened={creating}
        companyId={companyId}
        onClose={() => setCreating(false)}
        onSaved={(c) => void navigate(`/compliance/controls/${c.id}`)}
      />
    </>
  );
}
