// One risk: its scenario and references, the inherent and residual assessment under the method version it was
// assessed with, applied controls, the treatment plan with due and overdue tasks, and the acceptance sign-off.
import { useState, type ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  Loader,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../shared/api/client.ts';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import type { RiskDto, RiskMethodDto } from '../../shared/api/types.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { useCan, useRequiredSession } from '../../shared/session/session.tsx';
import { EditIcon, HistoryIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails, fieldErrors, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { addDays, localToday } from './lib/dates.ts';
import { RiskFormModal } from './risk-form-modal.tsx';
import { acceptRisk, getRisk, riskKeys } from './risks.api.ts';
import {
  useCatalogue,
  useCompanyControls,
  useMethodVersion,
  useRequirementLocation,
} from './risks.queries.ts';
import { AboveThresholdMarker, DueBadge, LevelBadge, TreatmentBadge } from './ui/badges.tsx';
import { useFormatDay } from './ui/format.ts';
import { SignIcon } from './ui/icons.tsx';
import { AssetLink, PersonName } from './ui/names.tsx';

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

function Assessment({
  side,
  risk,
  method,
}: {
  side: 'inherent' | 'residual';
  risk: RiskDto;
  method: RiskMethodDto | undefined;
}) {
  const t = useT();
  const a = risk[side];
  const ranks = method?.levels.map((l) => l.rank) ?? [];
  const name = (axis: 'likelihood' | 'impact', level: number) =>
    method?.[axis].find((s) => s.level === level)?.name;
  return (
    <Paper withBorder radius="md" p="md" data-testid={`risk-${side}`}>
      <Text size="xs" c="dimmed" fw={700} tt="uppercase" mb={6}>
        {t(side === 'inherent' ? 'risk.inherent' : 'risk.residual')}
      </Text>
      <Group gap="xs" mb="xs">
        <LevelBadge
          level={a.level}
          rank={a.rank}
          ranks={ranks}
          size="xl"
          data-testid={`risk-${side}-badge`}
        />
        {side === 'residual' && risk.aboveThreshold && <AboveThresholdMarker />}
      </Group>
      <Text size="sm">
        {t('risk.likelihood')}: <b>{a.likelihood}</b>
        {name('likelihood', a.likelihood) ? ` — ${name('likelihood', a.likelihood)}` : ''}
      </Text>
      <Text size="sm">
        {t('risk.impact')}: <b>{a.impact}</b>
        {name('impact', a.impact) ? ` — ${name('impact', a.impact)}` : ''}
      </Text>
    </Paper>
  );
}

function SourceLink({ risk }: { risk: RiskDto }) {
  const t = useT();
  const source = risk.source;
  const location = useRequirementLocation(risk.companyId, source?.kind === 'requirement' ? source.ref : null);
  if (!source) return <>—</>;
  const label = source.label || source.ref;
  let to: string | null = null;
  if (source.kind === 'asset') to = `/assets/${source.ref}`;
  if (source.kind === 'requirement')
    to = location.data
      ? `/companies/${risk.companyId}/compliance/${location.data.frameworkId}?q=${encodeURIComponent(location.data.ref)}`
      : `/companies/${risk.companyId}/compliance`;
  return (
    <Group gap={6} data-testid="risk-source">
      <Badge variant="light" tt="none" style={{ flexShrink: 0 }}>
        {t(`riskSource.${source.kind}`)}
      </Badge>
      {to ? (
        <Anchor component={Link} to={to} size="sm">
          {label}
        </Anchor>
      ) : (
        <Text size="sm">{label}</Text>
      )}
    </Group>
  );
}

export function RiskDetailPage() {
  const t = useT();
  const can = useCan();
  const session = useRequiredSession();
  const formatDate = useFormatDate();
  const formatDay = useFormatDay();
  const { id = '' } = useParams();
  const lookup = useCompanyLookup();
  const risk = useQuery({ queryKey: riskKeys.one(id), queryFn: ({ signal }) => getRisk(id, signal) });
  const method = useMethodVersion(risk.data?.companyId, risk.data?.methodVersion);
  const catalogue = useCatalogue();
  const controls = useCompanyControls(risk.data?.companyId);
  const [editing, setEditing] = useState(false);
  const [signing, setSigning] = useState(false);

  if (risk.isLoading) return <Loader />;
  if (risk.error || !risk.data) {
    return (
      <Alert color="red" title={t('error.title')}>
        <ProblemDetails error={risk.error} t={t} />
      </Alert>
    );
  }
  const r = risk.data;
  const company = lookup.byId.get(r.companyId);
  const today = localToday();
  const isOwner = session.user.personId !== null && session.user.personId === r.ownerPersonId;
  // Above the threshold only the risk owner or a CISO (risk.accept) signs off; below it, any writer may.
  const maySignOff =
    can('risk.write') && (r.aboveThreshold ? can('risk.accept') || isOwner : r.treatment === 'accept');
  const acceptanceExpired = r.acceptance !== null && r.acceptance.expiresOn < today;
  const catalogueName = (cid: string | null) => {
    if (!cid) return '—';
    const c = catalogue.byId.get(cid);
    return c ? `${c.code} — ${c.name}` : '…';
  };

  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/risks" size="sm">
          {t('nav.riskRegister')}
        </Anchor>
        <Text size="sm" truncate maw={400}>
          {r.title}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start" mb="lg">
        <div>
          <Title order={2} data-testid="risk-title-heading">
            {r.title}
          </Title>
          <Group gap="sm" mt={6}>
            <TreatmentBadge treatment={r.treatment} testId="risk-treatment-badge" />
            {r.aboveThreshold && <AboveThresholdMarker />}
            <Text size="sm" c="dimmed">
              {company ? `${company.shortCode} — ${company.legalName}` : '…'}
            </Text>
          </Group>
        </div>
        <Group>
          {can('audit.read') && (
            <Button
              variant="default"
              component={Link}
              to={`/audit?entityType=risk&entityId=${r.id}`}
              leftSection={<HistoryIcon />}
              data-testid="risk-history"
            >
              {t('common.history')}
            </Button>
          )}
          {can('risk.write') && (
            <Button leftSection={<EditIcon />} onClick={() => setEditing(true)} data-testid="risk-edit">
              {t('common.edit')}
            </Button>
          )}
        </Group>
      </Group>

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder padding="lg" h="100%">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
              <Field label={t('risk.owner')}>
                <PersonName id={r.ownerPersonId} />
              </Field>
              <Field label={t('risk.reviewDate')}>
                <Group gap={6}>
                  {formatDay(r.reviewDate)}
                  {r.reviewDate && (
                    <DueBadge day={r.reviewDate} today={today} data-testid="risk-review-badge" />
                  )}
                </Group>
              </Field>
              <Field label={t('risk.threat')}>{catalogueName(r.threatId)}</Field>
              <Field label={t('risk.vulnerability')}>{catalogueName(r.vulnerabilityId)}</Field>
              <Field label={t('risk.methodVersion')}>
                <Anchor
                  component={Link}
                  to={`/risks/method?companyId=${r.companyId}&version=${r.methodVersion}`}
                  size="sm"
                  data-testid="risk-method-version"
                >
                  v{r.methodVersion}
                </Anchor>
              </Field>
              <Field label={t('risk.raisedFrom')}>
                <SourceLink risk={r} />
              </Field>
              <Field label={t('common.createdAt')}>{formatDate(r.createdAt)}</Field>
              <Field label={t('common.updatedAt')}>
                {formatDate(r.updatedAt)} · v{r.version}
              </Field>
            </SimpleGrid>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600} mt="lg" mb={2}>
              {t('risk.scenario')}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} c={r.scenario ? undefined : 'dimmed'}>
              {r.scenario || '—'}
            </Text>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder padding="lg" h="100%">
            <Text fw={600} mb="sm">
              {t('risk.assessment')}
            </Text>
            <SimpleGrid cols={2} spacing="sm">
              <Assessment side="inherent" risk={r} method={method.data} />
              <Assessment side="residual" risk={r} method={method.data} />
            </SimpleGrid>
            {method.data && (
              <Text size="xs" c="dimmed" mt="sm">
                {t('risk.thresholdIs', { level: method.data.acceptanceThreshold, version: r.methodVersion })}
              </Text>
            )}
          </Card>
        </Grid.Col>
      </Grid>

      <Grid gap="lg" mt="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder padding="lg" h="100%">
            <Text fw={600} mb="sm">
              {t('risk.assets')}
            </Text>
            {r.assetIds.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('risk.noAssets')}
              </Text>
            ) : (
              <Stack gap={4} data-testid="risk-assets-list">
                {r.assetIds.map((a) => (
                  <AssetLink key={a} id={a} />
                ))}
              </Stack>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder padding="lg" h="100%">
            <Text fw={600} mb="sm">
              {t('risk.controls')}
            </Text>
            {r.controlIds.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('risk.noControls')}
              </Text>
            ) : (
              <Stack gap={4} data-testid="risk-controls-list">
                {r.controlIds.map((cid) => {
                  const c = controls.byId.get(cid);
                  return (
                    <Anchor key={cid} component={Link} to={`/compliance/controls/${cid}`} size="sm">
                      {c ? `${c.code} — ${c.name}` : '…'}
                    </Anchor>
                  );
                })}
              </Stack>
            )}
          </Card>
        </Grid.Col>
      </Grid>

      <Card withBorder padding="lg" mt="lg">
        <Text fw={600} mb="sm">
          {t('risk.plan')}
        </Text>
        {r.tasks.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('risk.noTasks')}
          </Text>
        ) : (
          <Table verticalSpacing="xs" data-testid="risk-task-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40} />
                <Table.Th>{t('risk.taskTitle')}</Table.Th>
                <Table.Th w={200}>{t('risk.taskOwner')}</Table.Th>
                <Table.Th w={260}>{t('risk.taskDue')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.tasks.map((task) => (
                <Table.Tr key={task.id} data-testid="risk-task" style={{ opacity: task.done ? 0.65 : 1 }}>
                  <Table.Td>
                    <Checkbox checked={task.done} readOnly aria-label={t('risk.taskDone')} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" td={task.done ? 'line-through' : undefined}>
                      {task.title}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <PersonName id={task.ownerPersonId} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      <Text size="sm">{formatDay(task.dueDate)}</Text>
                      {task.done ? (
                        <Badge size="sm" color="teal" variant="light" tt="none">
                          {t('risk.taskDone')}
                        </Badge>
                      ) : (
                        task.dueDate && (
                          <DueBadge day={task.dueDate} today={today} size="sm" data-testid="task-due" />
                        )
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>

      <Card withBorder padding="lg" mt="lg" data-testid="risk-acceptance">
        <Group justify="space-between" mb="sm">
          <Text fw={600}>{t('risk.acceptance')}</Text>
          {maySignOff && (
            <Button
              leftSection={<SignIcon />}
              variant={r.aboveThreshold ? 'filled' : 'light'}
              onClick={() => setSigning(true)}
              data-testid="risk-sign-off"
            >
              {r.acceptance ? t('risk.renewSignOff') : t('risk.signOff')}
            </Button>
          )}
        </Group>
        {r.acceptance ? (
          <Stack gap={6}>
            <Group gap="xs">
              <Badge
                color={acceptanceExpired ? 'red' : 'teal'}
                variant="filled"
                tt="none"
                data-testid={acceptanceExpired ? 'acceptance-expired' : 'acceptance-valid'}
              >
                {acceptanceExpired ? t('risk.acceptanceExpired') : t('risk.signedOff')}
              </Badge>
              <Text size="sm">
                {t('risk.acceptedBy', {
                  by: r.acceptance.acceptedBy,
                  at: formatDate(r.acceptance.acceptedAt),
                })}
              </Text>
            </Group>
            <Group gap="xs">
              <Text size="sm">
                {t('risk.expiresOn')}:{' '}
                <b data-testid="acceptance-expires">{formatDay(r.acceptance.expiresOn)}</b>
              </Text>
              <DueBadge day={r.acceptance.expiresOn} today={today} past="expired" soonDays={30} size="sm" />
            </Group>
            {r.acceptance.note && (
              <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                {r.acceptance.note}
              </Text>
            )}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed" data-testid="acceptance-none">
            {r.aboveThreshold ? t('risk.acceptanceNeeded') : t('risk.acceptanceNone')}
          </Text>
        )}
        {r.aboveThreshold && !maySignOff && (
          <Text size="xs" c="dimmed" mt="xs">
            {t('risk.signOffWho')}
          </Text>
        )}
      </Card>

      <RiskFormModal opened={editing} risk={r} onClose={() => setEditing(false)} />
      <SignOffModal opened={signing} risk={r} onClose={() => setSigning(false)} />
    </>
  );
}

function SignOffModal({ opened, risk, onClose }: { opened: boolean; risk: RiskDto; onClose: () => void }) {
  const t = useT();
  return (
    <Modal opened={opened} onClose={onClose} title={t('risk.signOffTitle')} size="md">
      {opened && <SignOffForm key={risk.version} risk={risk} onClose={onClose} />}
    </Modal>
  );
}

function SignOffForm({ risk, onClose }: { risk: RiskDto; onClose: () => void }) {
  const t = useT();
  const formatDay = useFormatDay();
  const queryClient = useQueryClient();
  const [expiresOn, setExpiresOn] = useState(addDays(localToday(), 365));
  const [note, setNote] = useState('');
  const accept = useMutation({
    mutationFn: () => acceptRisk(risk.id, { version: risk.version, expiresOn, note: note.trim() || null }),
    onSuccess: (saved) => {
      notifySuccess((t) =>
        t('risk.signedOffNotice', { date: formatDay(saved.acceptance?.expiresOn ?? expiresOn) }),
      );
      queryClient.setQueryData(riskKeys.one(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: riskKeys.all });
      onClose();
    },
    onError: (err) => {
      if (!(err instanceof ApiError && err.code === 'stale_version')) notifyError(err);
    },
  });
  const stale = accept.error instanceof ApiError && accept.error.code === 'stale_version';
  const errors = fieldErrors(accept.error, t);
  return (
    <Stack>
      {stale && (
        <Alert color="orange" title={t('error.staleTitle')}>
          {t('risk.stale')}
          <Group mt="sm">
            <Button
              size="xs"
              variant="white"
              color="orange"
              onClick={() => {
                void queryClient.invalidateQueries({ queryKey: riskKeys.one(risk.id) });
                onClose();
              }}
            >
              {t('common.reload')}
            </Button>
          </Group>
        </Alert>
      )}
      <Text size="sm">{t('risk.signOffHelp', { level: risk.residual.level })}</Text>
      <TextInput
        label={t('risk.expiresOn')}
        type="date"
        value={expiresOn}
        min={addDays(localToday(), 1)}
        onChange={(e) => setExpiresOn(e.currentTarget.value)}
        error={errors.expiresOn}
        required
        data-testid="acceptance-expires-on"
      />
      <Textarea
        label={t('risk.acceptanceNote')}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        autosize
        minRows={2}
        maxLength={2000}
        data-testid="acceptance-note"
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button
          onClick={() => accept.mutate()}
          loading={accept.isPending}
          disabled={stale || !expiresOn}
          leftSection={<SignIcon />}
          data-testid="acceptance-submit"
        >
          {t('risk.signOff')}
        </Button>
      </Group>
    </Stack>
  );
}
