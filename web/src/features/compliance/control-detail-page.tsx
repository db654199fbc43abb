// One applied control: what it is, the requirements it meets, and its evidence with validity.
import { Fragment, useState, type ReactNode } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Grid,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import type { EvidenceDto } from '../../shared/api/types.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { DownloadIcon, EditIcon, HistoryIcon, LinkIcon, PlusIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { complianceKeys, evidenceFileUrl, getControl } from './compliance.api.ts';
import { useAdoptions, useCompanyPeople } from './compliance.queries.ts';
import { ControlFormModal } from './control-form-modal.tsx';
import { AddEvidenceModal, EditEvidenceModal } from './evidence-modal.tsx';
import { daysBetween, localToday } from './lib/dates.ts';
import { ControlStatusBadge, DaysLeftBadge, EvidenceStateBadge } from './ui/badges.tsx';
import { useFormatDay } from './ui/format.ts';
import { ExternalLinkIcon, FileIcon, NoteIcon } from './ui/icons.tsx';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={2}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

const KIND_ICON = { link: LinkIcon, note: NoteIcon, file: FileIcon } as const;

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function ControlDetailPage() {
  const t = useT();
  const can = useCan();
  const formatDate = useFormatDate();
  const formatDay = useFormatDay();
  const { id = '' } = useParams();
  const lookup = useCompanyLookup();
  const control = useQuery({
    queryKey: complianceKeys.control(id),
    queryFn: ({ signal }) => getControl(id, signal),
  });
  const people = useCompanyPeople(control.data?.companyId);
  const adoptions = useAdoptions(control.data?.companyId);
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  const [editingEvidence, setEditingEvidence] = useState<EvidenceDto | null>(null);
  const [openNotes, setOpenNotes] = useState<Set<string>>(new Set());
  const today = localToday();

  if (control.isLoading) return <Loader />;
  if (control.error || !control.data) {
    return (
      <Alert color="red" title={t('error.title')}>
        <ProblemDetails error={control.error} t={t} />
      </Alert>
    );
  }
  const c = control.data;
  const company = lookup.byId.get(c.companyId);
  const owner = c.ownerPersonId ? people.byId.get(c.ownerPersonId) : undefined;
  const frameworkName = new Map((adoptions.data ?? []).map((a) => [a.frameworkId, a.frameworkName] as const));
  const evidence = [...c.evidence].sort((a, b) =>
    (b.validUntil ?? '9999').localeCompare(a.validUntil ?? '9999'),
  );
  const canWrite = can('compliance.write');

  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to={`/compliance/controls?companyId=${c.companyId}`} size="sm">
          {t('nav.controls')}
        </Anchor>
        <Text size="sm" ff="monospace">
          {c.code}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start" mb="lg">
        <div>
          <Group gap="sm">
            <Title order={2} data-testid="control-title">
              <Text span ff="monospace" inherit c="indigo.8">
                {c.code}
              </Text>{' '}
              {c.name}
            </Title>
            <ControlStatusBadge status={c.status} />
            <EvidenceStateBadge state={c.evidenceState} />
          </Group>
          <Text c="dimmed" size="sm">
            {company ? `${company.shortCode} — ${company.legalName}` : ''}
          </Text>
        </div>
        <Group>
          {can('audit.read') && (
            <Button
              variant="default"
              component={Link}
              to={`/audit?entityType=applied_control&entityId=${c.id}`}
              leftSection={<HistoryIcon />}
            >
              {t('common.history')}
            </Button>
          )}
          {canWrite && (
            <Button leftSection={<EditIcon />} onClick={() => setEditing(true)} data-testid="control-edit">
              {t('common.edit')}
            </Button>
          )}
        </Group>
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <Card withBorder padding="lg">
              <Title order={4} mb="md">
                {t('control.details')}
              </Title>
              <SimpleGrid cols={2} spacing="md">
                <Field label={t('control.company')}>
                  {company ? (
                    <Anchor component={Link} to={`/companies/${company.id}/compliance`}>
                      {company.shortCode}
                    </Anchor>
                  ) : (
                    '…'
                  )}
                </Field>
                <Field label={t('control.owner')}>{owner?.name ?? (c.ownerPersonId ? '…' : '—')}</Field>
                <Field label={t('common.createdAt')}>{formatDate(c.createdAt)}</Field>
                <Field label={t('common.updatedAt')}>{formatDate(c.updatedAt)}</Field>
              </SimpleGrid>
              {c.description && (
                <Stack gap={2} mt="md">
                  <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                    {t('control.descriptionLabel')}
                  </Text>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {c.description}
                  </Text>
                </Stack>
              )}
            </Card>
            <Card withBorder padding="lg">
              <Title order={4} mb="sm">
                {t('control.requirements')}{' '}
                <Text span c="dimmed" fw={400} size="sm">
                  ({c.requirements.length})
                </Text>
              </Title>
              {c.requirements.length === 0 && (
                <Text c="dimmed" size="sm">
                  {t('control.noRequirements')}
                </Text>
              )}
              <Stack gap={6} data-testid="control-requirements-list">
                {c.requirements.map((r) => (
                  <Group key={r.id} gap="sm" wrap="nowrap" align="flex-start">
                    <Badge
                      variant="light"
                      color="indigo"
                      tt="none"
                      ff="monospace"
                      component={Link}
                      to={`/companies/${c.companyId}/compliance/${r.frameworkId}?q=${encodeURIComponent(r.ref)}`}
                      style={{ cursor: 'pointer', flexShrink: 0 }}
                    >
                      {r.ref}
                    </Badge>
                    <Stack gap={0}>
                      <Text size="sm">{r.title}</Text>
                      <Text size="xs" c="dimmed">
                        {frameworkName.get(r.frameworkId) ?? ''}
                      </Text>
                    </Stack>
                  </Group>
                ))}
              </Stack>
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder padding="lg">
            <Group justify="space-between" mb="sm">
              <Title order={4}>
                {t('control.evidence')}{' '}
                <Text span c="dimmed" fw={400} size="sm">
                  ({evidence.length})
                </Text>
              </Title>
              {canWrite && (
                <Button
                  size="xs"
                  leftSection={<PlusIcon size={14} />}
                  onClick={() => setAdding(true)}
                  data-testid="evidence-add"
                >
                  {t('evidence.add')}
                </Button>
              )}
            </Group>
            {evidence.length === 0 ? (
              <Text c="dimmed" size="sm" ta="center" py="lg">
                {t('evidence.empty')}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={560}>
                <Table verticalSpacing="sm" data-testid="evidence-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('evidence.title')}</Table.Th>
                      <Table.Th>{t('evidence.validity')}</Table.Th>
                      <Table.Th>{t('evidence.state')}</Table.Th>
                      <Table.Th w={80} />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {evidence.map((e) => {
                      const Icon = KIND_ICON[e.kind];
                      const noteOpen = openNotes.has(e.id);
                      return (
                        <Fragment key={e.id}>
                          <Table.Tr data-testid="evidence-row" data-state={e.state}>
                            <Table.Td>
                              <Group gap="sm" wrap="nowrap" align="flex-start">
                                <ThemeIcon variant="light" color="gray" size="md" radius="md">
                                  <Icon size={16} />
                                </ThemeIcon>
                                <Stack gap={0} style={{ minWidth: 0 }}>
                                  <Text size="sm" fw={500}>
                                    {e.title}
                                  </Text>
                                  {e.kind === 'link' && e.url && (
                                    <Anchor
                                      href={e.url}
                                      target="_blank"
                                      rel="noopener noreferrer"
                                      size="xs"
                                      truncate
                                      maw={280}
                                    >
                                      {e.url}
                                    </Anchor>
                                  )}
                                  {e.kind === 'file' && e.file && (
                                    <Text size="xs" c="dimmed" truncate maw={280}>
                                      {e.file.name} · {formatBytes(e.file.size)}
                                    </Text>
                                  )}
                                  {e.kind === 'note' && (
                                    <Anchor
                                      component="button"
                                      size="xs"
                                      onClick={() =>
                                        setOpenNotes((prev) => {
                                          const next = new Set(prev);
                                          if (next.has(e.id)) next.delete(e.id);
                                          else next.add(e.id);
                                          return next;
                                        })
                                      }
                                    >
                                      {noteOpen ? t('evidence.hideNote') : t('evidence.showNote')}
                                    </Anchor>
                                  )}
                                </Stack>
                              </Group>
                            </Table.Td>
                            <Table.Td>
                              <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                                {formatDay(e.validFrom)} –
                              </Text>
                              <Text
                                size="sm"
                                style={{ whiteSpace: 'nowrap' }}
                                c={e.validUntil ? undefined : 'dimmed'}
                              >
                                {e.validUntil ? formatDay(e.validUntil) : t('evidence.noEnd')}
                              </Text>
                              {e.validUntil &&
                                e.state === 'valid' &&
                                daysBetween(today, e.validUntil) <= 60 && (
                                  <DaysLeftBadge
                                    days={daysBetween(today, e.validUntil)}
                                    soonDays={14}
                                    past="expired"
                                  />
                                )}
                            </Table.Td>
                            <Table.Td>
                              <EvidenceStateBadge state={e.state} />
                            </Table.Td>
                            <Table.Td>
                              <Group gap={2} justify="flex-end" wrap="nowrap">
                                {e.kind === 'file' && (
                                  <Tooltip label={t('common.download')}>
                                    <ActionIcon
                                      variant="subtle"
                                      component="a"
                                      href={evidenceFileUrl(e.id)}
                                      download={e.file?.name ?? true}
                                      aria-label={t('common.download')}
                                      data-testid="evidence-download"
                                    >
                                      <DownloadIcon size={16} />
                                    </ActionIcon>
                                  </Tooltip>
                                )}
                                {e.kind === 'link' && e.url && (
                                  <Tooltip label={t('evidence.open')}>
                                    <ActionIcon
                                      variant="subtle"
                                      component="a"
                                      href={e.url}
                                      target="_blank"
                                      rel="noopener noreferrer"
                                      aria-label={t('evidence.open')}
                                    >
                                      <ExternalLinkIcon size={16} />
                                    </ActionIcon>
                                  </Tooltip>
                                )}
                                {canWrite && (
                                  <Tooltip label={t('common.edit')}>
                                    <ActionIcon
                                      variant="subtle"
                                      onClick={() => setEditingEvidence(e)}
                                      aria-label={t('common.edit')}
                                      data-testid="evidence-edit"
                                    >
                                      <EditIcon size={16} />
                                    </ActionIcon>
                                  </Tooltip>
                                )}
                              </Group>
                            </Table.Td>
                          </Table.Tr>
                          {e.kind === 'note' && noteOpen && (
                            <Table.Tr>
                              <Table.Td colSpan={4} bg="var(--mantine-color-gray-0)">
                                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                                  {e.note}
                                </Text>
                              </Table.Td>
                            </Table.Tr>
                          )}
                        </Fragment>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Card>
        </Grid.Col>
      </Grid>
      <ControlFormModal opened={editing} control={c} onClose={() => setEditing(false)} />
      <AddEvidenceModal opened={adding} controlId={c.id} onClose={() => setAdding(false)} />
      <EditEvidenceModal evidence={editingEvidence} onClose={() => setEditingEvidence(null)} />
    </>
  );
}
