// The certification register across the group: certificates, their expiry and audits, overdue in red.
import { Fragment, useState } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import type { CertificationAuditDto, CertificationDto } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import {
  ChevronDownIcon,
  ChevronRightIcon,
  DownloadIcon,
  EditIcon,
  PlusIcon,
} from '../../shared/ui/icons.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { AuditModal, CertificationModal } from './certification-modals.tsx';
import { certificationRegisterUrl, complianceKeys, listCertifications } from './compliance.api.ts';
import { daysBetween, localToday } from './lib/dates.ts';
import { AuditOutcomeBadge, CertificationStatusBadge, DaysLeftBadge, OverdueBadge } from './ui/badges.tsx';
import { useFormatDay } from './ui/format.ts';

const COLUMNS = 9;

function Stat({ label, value, color }: { label: string; value: number; color?: string | undefined }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz={28} fw={700} c={color}>
        {value}
      </Text>
    </Paper>
  );
}

export function CertificationsPage() {
  const t = useT();
  const can = useCan();
  const canWrite = can('certification.write');
  const formatDay = useFormatDay();
  const lookup = useCompanyLookup();
  const [params, setParams] = useSearchParams();
  const companyId = params.get('companyId') || null;
  const query = useQuery({
    queryKey: [...complianceKeys.certifications, companyId],
    queryFn: ({ signal }) => listCertifications(companyId, signal),
  });
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<CertificationDto | null | 'new'>(null);
  const [auditTarget, setAuditTarget] = useState<{
    certification: CertificationDto;
    audit: CertificationAuditDto | null;
  } | null>(null);
  const today = localToday();
  const items = [...(query.data ?? [])].sort(
    (a, b) => a.companyName.localeCompare(b.companyName) || a.standard.localeCompare(b.standard),
  );
  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const active = items.filter((c) => c.status === 'active').length;
  const expiring90 = items.filter(
    (c) =>
      c.status === 'active' &&
      c.expiresOn &&
      daysBetween(today, c.expiresOn) >= 0 &&
      daysBetween(today, c.expiresOn) <= 90,
  ).length;
  const overdue = items.filter((c) => c.overdue).length;

  return (
    <>
      <PageHeader
        title={t('nav.certifications')}
        description={t('cert.description')}
        actions={
          <>
            <Button
              variant="default"
              leftSection={<DownloadIcon />}
              component="a"
              href={certificationRegisterUrl('csv')}
              download
              data-testid="cert-csv"
            >
              CSV
            </Button>
            <Button
              variant="default"
              leftSection={<DownloadIcon />}
              component="a"
              href={certificationRegisterUrl('xlsx')}
              download
              data-testid="cert-xlsx"
            >
              Excel
            </Button>
            {canWrite && (
              <Button leftSection={<PlusIcon />} onClick={() => setEditing('new')} data-testid="cert-create">
                {t('cert.create')}
              </Button>
            )}
          </>
        }
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }} mb="lg">
        <Stat label={t('cert.statActive')} value={active} color="teal.7" />
        <Stat label={t('cert.statExpiring')} value={expiring90} color={expiring90 ? 'orange.7' : undefined} />
        <Stat label={t('cert.statOverdue')} value={overdue} color={overdue ? 'red.7' : undefined} />
      </SimpleGrid>
      <Group mb="md">
        <Select
          placeholder={t('control.allCompanies')}
          data={lookup.options}
          value={companyId}
          onChange={(v) =>
            setParams(
              (prev) => {
                const next = new URLSearchParams(prev);
                if (v) next.set('companyId', v);
                else next.delete('companyId');
                return next;
              },
              { replace: true },
            )
          }
          searchable
          clearable
          w={320}
        />
      </Group>
      {query.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={query.error} t={t} />
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={1080}>
          <Table verticalSpacing="sm" highlightOnHover data-testid="cert-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={30} />
                <Table.Th>{t('control.company')}</Table.Th>
                <Table.Th>{t('cert.standard')}</Table.Th>
                <Table.Th>{t('cert.scope')}</Table.Th>
                <Table.Th>{t('cert.body')}</Table.Th>
                <Table.Th>{t('cert.number')}</Table.Th>
                <Table.Th>{t('cert.expires')}</Table.Th>
                <Table.Th>{t('cert.nextAudit')}</Table.Th>
                <Table.Th w={50} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.isLoading && <TableSkeleton columns={COLUMNS} />}
              {!query.isLoading && items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={COLUMNS}>
                    <Text c="dimmed" ta="center" py="lg">
                      {t('cert.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {items.map((c) => {
                const open = expanded.has(c.id);
                const company = lookup.byId.get(c.companyId);
                const expiryDays = c.expiresOn ? daysBetween(today, c.expiresOn) : null;
                const nextDays = c.nextAudit ? daysBetween(today, c.nextAudit.plannedOn) : null;
                return (
                  <Fragment key={c.id}>
                    <Table.Tr
                      data-testid="cert-row"
                      data-overdue={c.overdue || undefined}
                      bg={c.overdue ? 'var(--mantine-color-red-0)' : undefined}
                    >
                      <Table.Td>
                        <UnstyledButton
                          onClick={() => toggle(c.id)}
                          aria-expanded={open}
                          aria-label={open ? t('common.collapse') : t('common.expand')}
                          data-testid="cert-expand"
                        >
                          {open ? <ChevronDownIcon size={16} /> : <ChevronRightIcon size={16} />}
                        </UnstyledButton>
                      </Table.Td>
                      <Table.Td>
                        <Anchor
                          component={Link}
                          to={`/companies/${c.companyId}/compliance`}
                          size="sm"
                          ff="monospace"
                          fw={600}
                        >
                          {company?.shortCode ?? ''}
                        </Anchor>
                        <Text size="xs" c="dimmed" truncate maw={180}>
                          {c.companyName}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Stack gap={4} align="flex-start">
                          <Text size="sm" fw={600}>
                            {c.standard}
                          </Text>
                          <Group gap={4}>
                            <CertificationStatusBadge status={c.status} />
                            {c.overdue && <OverdueBadge />}
                          </Group>
                        </Stack>
                      </Table.Td>
                      <Table.Td>
                        <Tooltip label={c.scope} multiline maw={360} disabled={c.scope.length < 40}>
                          <Text size="sm" lineClamp={2} maw={220}>
                            {c.scope}
                          </Text>
                        </Tooltip>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{c.certificationBody}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {c.certificateNumber ?? '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {formatDay(c.expiresOn)}
                        </Text>
                        {expiryDays !== null && c.status === 'active' && (
                          <DaysLeftBadge days={expiryDays} soonDays={90} past="expired" />
                        )}
                      </Table.Td>
                      <Table.Td>
                        {c.nextAudit ? (
                          <>
                            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                              {t(`auditKind.${c.nextAudit.kind}`)}
                            </Text>
                            <Group gap={4} wrap="nowrap">
                              <Text size="xs" c={nextDays !== null && nextDays < 0 ? 'red.7' : 'dimmed'}>
                                {formatDay(c.nextAudit.plannedOn)}
                              </Text>
                              {nextDays !== null && nextDays < 30 && (
                                <DaysLeftBadge days={nextDays} soonDays={30} />
                              )}
                            </Group>
                          </>
                        ) : (
                          <Text size="sm" c="dimmed">
                            —
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {canWrite && (
                          <Tooltip label={t('common.edit')}>
                            <ActionIcon
                              variant="subtle"
                              onClick={() => setEditing(c)}
                              aria-label={t('common.edit')}
                              data-testid="cert-edit"
                            >
                              <EditIcon size={16} />
                            </ActionIcon>
                          </Tooltip>
                        )}
                      </Table.Td>
                    </Table.Tr>
                    {open && (
                      <Table.Tr>
                        <Table.Td colSpan={COLUMNS} bg="var(--mantine-color-gray-0)" px="xl">
                          <Group justify="space-between" mb="xs">
                            <Text size="sm" fw={700}>
                              {t('certAudit.title')}
                            </Text>
                            {canWrite && (
                              <Button
                                size="xs"
                                variant="light"
                                leftSection={<PlusIcon size={14} />}
                                onClick={() => setAuditTarget({ certification: c, audit: null })}
                                data-testid="audit-add"
                              >
                                {t('certAudit.add')}
                              </Button>
                            )}
                          </Group>
                          {c.audits.length === 0 ? (
                            <Text size="sm" c="dimmed">
                              {t('certAudit.empty')}
                            </Text>
                          ) : (
                            <Table verticalSpacing={6} data-testid="audit-table" bg="white" withTableBorder>
                              <Table.Thead>
                                <Table.Tr>
                                  <Table.Th>{t('certAudit.kind')}</Table.Th>
                                  <Table.Th>{t('certAudit.plannedOn')}</Table.Th>
                                  <Table.Th>{t('certAudit.heldOn')}</Table.Th>
                                  <Table.Th>{t('certAudit.outcome')}</Table.Th>
                                  <Table.Th>{t('certAudit.notes')}</Table.Th>
                                  <Table.Th w={50} />
                                </Table.Tr>
                              </Table.Thead>
                              <Table.Tbody>
                                {[...c.audits]
                                  .sort((a, b) => a.plannedOn.localeCompare(b.plannedOn))
                                  .map((a) => {
                                    const late = a.outcome === 'planned' && a.plannedOn < today;
                                    return (
                                      <Table.Tr key={a.id} data-testid="audit-row">
                                        <Table.Td>
                                          <Text size="sm" fw={500}>
                                            {t(`auditKind.${a.kind}`)}
                                          </Text>
                                        </Table.Td>
                                        <Table.Td>
                                          <Group gap={6} wrap="nowrap">
                                            <Text
                                              size="sm"
                                              c={late ? 'red.7' : undefined}
                                              fw={late ? 600 : 400}
                                            >
                                              {formatDay(a.plannedOn)}
                                            </Text>
                                            {late && <OverdueBadge />}
                                          </Group>
                                        </Table.Td>
                                        <Table.Td>
                                          <Text size="sm">{formatDay(a.heldOn)}</Text>
                                        </Table.Td>
                                        <Table.Td>
                                          <AuditOutcomeBadge outcome={a.outcome} />
                                        </Table.Td>
                                        <Table.Td>
                                          <Text size="sm" c={a.notes ? undefined : 'dimmed'} lineClamp={2}>
                                            {a.notes ?? '—'}
                                          </Text>
                                        </Table.Td>
                                        <Table.Td>
                                          {canWrite && (
                                            <ActionIcon
                                              variant="subtle"
                                              onClick={() => setAuditTarget({ certification: c, audit: a })}
                                              aria-label={t('common.edit')}
                                              data-testid="audit-edit"
                                            >
                                              <EditIcon size={16} />
                                            </ActionIcon>
                                          )}
                                        </Table.Td>
                                      </Table.Tr>
                                    );
                                  })}
                              </Table.Tbody>
                            </Table>
                          )}
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
      <CertificationModal
        opened={editing !== null}
        certification={editing === 'new' ? null : editing}
        companyId={companyId}
        onClose={() => setEditing(null)}
      />
      <AuditModal target={auditTarget} onClose={() => setAuditTarget(null)} />
    </>
  );
}
