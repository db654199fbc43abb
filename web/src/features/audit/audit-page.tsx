// The audit trail, newest first: filters, a before/after view per entry, and chain verification.
import { Fragment, useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Collapse,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, type Page } from '../../shared/api/client.ts';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import { usePagedList } from '../../shared/api/paged.ts';
import type { AuditEntryDto, UserDto } from '../../shared/api/types.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { ChevronDownIcon, ChevronRightIcon, ShieldIcon } from '../../shared/ui/icons.tsx';
import { LoadMore } from '../../shared/ui/load-more.tsx';
import { ProblemDetails, notifyError } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { RemoteSelect } from '../../shared/ui/remote-select.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { auditKeys, verifyChain } from './audit.api.ts';
import { DiffTable } from './diff-table.tsx';

const TEXT_FILTERS = ['action', 'entityType', 'entityId'] as const;
type FilterName = (typeof TEXT_FILTERS)[number] | 'actorUserId' | 'companyId' | 'from' | 'to';

/** A yyyy-mm-dd day in the browser's time zone, as the first or last instant of that day. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T${end ? '23:59:59.999' : '00:00:00'}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

const ACTION_COLORS: Record<string, string> = {
  create: 'teal',
  update: 'blue',
  delete: 'red',
  login: 'grape',
};
function actionColor(action: string): string {
  const verb = action.split('.').pop() ?? '';
  return ACTION_COLORS[verb] ?? 'gray';
}

function VerifyPanel() {
  const t = useT();
  const verify = useMutation({ mutationFn: verifyChain, onError: (err) => notifyError(err) });
  const r = verify.data;
  return (
    <Stack gap="xs" mb="md">
      <Group>
        <Button
          variant="light"
          leftSection={<ShieldIcon />}
          onClick={() => verify.mutate()}
          loading={verify.isPending}
          data-testid="audit-verify"
        >
          {t('audit.verify')}
        </Button>
      </Group>
      {r && r.ok && (
        <Alert color="teal" title={t('audit.verifyOk')} data-testid="audit-verify-result">
          {t('audit.verifyOkDetail', { count: r.entries })}
        </Alert>
      )}
      {r && !r.ok && (
        <Alert color="red" title={t('audit.verifyBroken')} data-testid="audit-verify-result">
          {t('audit.verifyBrokenDetail', {
            seq: r.brokenSeq ?? '?',
            id: r.brokenId ?? '?',
            count: r.entries,
          })}
          {r.reason && (
            <Text size="sm" mt={4}>
              {t('audit.reason')}: {r.reason}
            </Text>
          )}
        </Alert>
      )}
    </Stack>
  );
}

export function AuditPage() {
  const t = useT();
  const can = useCan();
  const formatDate = useFormatDate();
  const lookup = useCompanyLookup();
  const [params, setParams] = useSearchParams();
  const get = (name: FilterName) => params.get(name) ?? '';
  const setFilter = (name: FilterName, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  // Text filters are typed freely and applied after a pause.
  const [text, setText] = useState(
    () =>
      Object.fromEntries(TEXT_FILTERS.map((f) => [f, get(f)])) as Record<
        (typeof TEXT_FILTERS)[number],
        string
      >,
  );
  const [debounced] = useDebouncedValue(text, 350);
  const query = {
    action: debounced.action.trim(),
    entityType: debounced.entityType.trim(),
    entityId: debounced.entityId.trim(),
    actorUserId: get('actorUserId'),
    companyId: get('companyId'),
    from: dayBound(get('from'), false),
    to: dayBound(get('to'), true),
  };
  const list = usePagedList<AuditEntryDto>([...auditKeys.entries, 'list'], '/audit', query);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const updateText = (name: (typeof TEXT_FILTERS)[number], value: string) => {
    setText((prev) => ({ ...prev, [name]: value }));
    setFilter(name, value.trim() || null);
  };

  return (
    <>
      <PageHeader title={t('nav.audit')} description={t('audit.description')} />
      {can('audit.verify') && <VerifyPanel />}
      <Paper withBorder radius="md" p="md" mb="md">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
          <TextInput
            label={t('audit.action')}
            placeholder="company.create"
            value={text.action}
            onChange={(e) => updateText('action', e.currentTarget.value)}
            data-testid="audit-filter-action"
          />
          <TextInput
            label={t('audit.entityType')}
            placeholder="company"
            value={text.entityType}
            onChange={(e) => updateText('entityType', e.currentTarget.value)}
            data-testid="audit-filter-entity-type"
          />
          <TextInput
            label={t('audit.entityId')}
            value={text.entityId}
            onChange={(e) => updateText('entityId', e.currentTarget.value)}
            data-testid="audit-filter-entity-id"
          />
          {can('user.read') ? (
            <RemoteSelect
              label={t('audit.actor')}
              placeholder={t('user.searchPlaceholder')}
              queryKey={['users', 'picker']}
              fetchOptions={(q, signal) =>
                api
                  .get<Page<UserDto>>('/users', { q, limit: 20 }, signal)
                  .then((p) => p.items.map((u) => ({ value: u.id, label: u.email })))
              }
              value={get('actorUserId') || null}
              onChange={(v) => setFilter('actorUserId', v)}
              clearable
              nothingFoundMessage={t('common.nothingFound')}
              data-testid="audit-filter-actor"
            />
          ) : (
            <TextInput
              label={t('audit.actorId')}
              value={get('actorUserId')}
              onChange={(e) => setFilter('actorUserId', e.currentTarget.value.trim() || null)}
              data-testid="audit-filter-actor"
            />
          )}
          <Select
            label={t('audit.company')}
            data={lookup.options}
            value={get('companyId') || null}
            onChange={(v) => setFilter('companyId', v)}
            searchable
            clearable
            data-testid="audit-filter-company"
          />
          <TextInput
            label={t('audit.from')}
            type="date"
            value={get('from')}
            onChange={(e) => setFilter('from', e.currentTarget.value || null)}
            data-testid="audit-filter-from"
          />
          <TextInput
            label={t('audit.to')}
            type="date"
            value={get('to')}
            onChange={(e) => setFilter('to', e.currentTarget.value || null)}
            data-testid="audit-filter-to"
          />
          <Stack justify="flex-end">
            <Button
              variant="subtle"
              color="gray"
              onClick={() => {
                setText({ action: '', entityType: '', entityId: '' });
                setParams(new URLSearchParams(), { replace: true });
              }}
            >
              {t('common.clearFilters')}
            </Button>
          </Stack>
        </SimpleGrid>
      </Paper>
      {list.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={list.error} t={t} />
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing="xs" highlightOnHover data-testid="audit-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={30} />
                <Table.Th>{t('audit.time')}</Table.Th>
                <Table.Th>{t('audit.actor')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.entity')}</Table.Th>
                <Table.Th>{t('audit.company')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.loading && <TableSkeleton columns={6} />}
              {!list.loading && list.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text c="dimmed" ta="center" py="lg">
                      {t('common.nothingFound')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.items.map((e) => {
                const open = expanded.has(e.id);
                const company = e.companyId ? lookup.byId.get(e.companyId) : undefined;
                return (
                  <Fragment key={e.id}>
                    <Table.Tr
                      onClick={() => toggle(e.id)}
                      onKeyDown={(ev) => {
                        if (ev.key === 'Enter' || ev.key === ' ') {
                          ev.preventDefault();
                          toggle(e.id);
                        }
                      }}
                      tabIndex={0}
                      style={{ cursor: 'pointer' }}
                      data-testid="audit-row"
                      data-action={e.action}
                      aria-expanded={open}
                    >
                      <Table.Td>
                        {open ? <ChevronDownIcon size={16} /> : <ChevronRightIcon size={16} />}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {formatDate(e.occurredAt)}
                        </Text>
                        <Text size="xs" c="dimmed">
                          #{e.seq}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{e.actorLabel}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={actionColor(e.action)} tt="none" ff="monospace">
                          {e.action}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{e.entityType}</Text>
                        {e.entityId && (
                          <Text size="xs" c="dimmed" ff="monospace" truncate maw={260}>
                            {e.entityId}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {company ? (
                          <Anchor
                            component={Link}
                            to={`/companies/${company.id}`}
                            size="sm"
                            onClick={(ev) => ev.stopPropagation()}
                          >
                            {company.shortCode}
                          </Anchor>
                        ) : (
                          <Text size="sm" c="dimmed">
                            {e.companyId ? '…' : '—'}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                    {open && (
                      <Table.Tr>
                        <Table.Td colSpan={6} bg="var(--mantine-color-gray-0)">
                          <Collapse expanded={open}>
                            <Stack gap="xs" p="xs">
                              <DiffTable entry={e} />
                              <Group gap="lg">
                                {e.requestId && (
                                  <Text size="xs" c="dimmed">
                                    {t('audit.requestId')}: <Code>{e.requestId}</Code>
                                  </Text>
                                )}
                                <Text size="xs" c="dimmed">
                                  {t('audit.hash')}: <Code>{e.hash.slice(0, 16)}…</Code>
                                </Text>
                              </Group>
                            </Stack>
                          </Collapse>
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
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
    </>
  );
}
