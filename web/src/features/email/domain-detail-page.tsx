// One domain: its settings, the posture found by the last scan (one badge per mechanism), that scan's findings
// and report section by section, "Scan now", the timeline of scans with regressions, and the domain's alerts.
import { useState, type ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Card,
  Code,
  Grid,
  Group,
  Loader,
  Stack,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { EmailDomainDto, PostureReport } from '../../shared/api/types.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { EditIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { notifications } from '@mantine/notifications';
import { DomainFormModal } from './domain-form-modal.tsx';
import { emailKeys, getDomain, getScan, scanNow } from './email.api.ts';
import { AlertsList } from './ui/alerts-list.tsx';
import { CountBadges, PostureBadges, RoleBadge } from './ui/badges.tsx';
import { RadarIcon } from './ui/icons.tsx';
import { CompanyCode } from '../../shared/ui/company-code.tsx';
import { PersonName } from './ui/pickers.tsx';
import {
  BimiDetails,
  DkimTable,
  DmarcDetails,
  FindingsByCheck,
  MailDetails,
  SpfDetails,
} from './ui/report.tsx';
import { ScanTimeline } from './ui/scan-timeline.tsx';

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

export function DomainDetailPage() {
  const t = useT();
  const can = useCan();
  const formatDate = useFormatDate();
  const queryClient = useQueryClient();
  const { id = '' } = useParams();
  const domain = useQuery({ queryKey: emailKeys.domain(id), queryFn: () => getDomain(id) });
  const [editing, setEditing] = useState(false);
  const canWrite = can('email.write');

  const scan = useMutation({
    mutationFn: () => scanNow(id),
    onSuccess: (s) => {
      void queryClient.invalidateQueries({ queryKey: emailKeys.all });
      if (!s.complete)
        notifications.show({
          color: 'orange',
          title: t('email.scan.incompleteTitle'),
          message: t('email.scan.incomplete'),
          autoClose: 8000,
          withBorder: true,
        });
      else if (s.regressions.length > 0)
        notifications.show({
          color: 'red',
          title: t('email.scan.regressedTitle'),
          message: s.regressions.map((r) => r.message).join(' · '),
          autoClose: 8000,
          withBorder: true,
        });
      else notifySuccess((t) => t('email.scan.done', { errors: s.errors, warnings: s.warnings }));
    },
    onError: (err) => notifyError(err),
  });

  if (domain.isLoading) return <Loader />;
  if (domain.error || !domain.data) {
    return (
      <Alert color="red" title={t('error.title')}>
        <ProblemDetails error={domain.error} t={t} />
      </Alert>
    );
  }
  const d = domain.data;

  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/email" size="sm">
          {t('email.nav.title')}
        </Anchor>
        <Anchor component={Link} to="/email/domains" size="sm">
          {t('email.nav.domains')}
        </Anchor>
        <Text size="sm">{d.name}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start" mb="lg">
        <div>
          <Group gap="sm">
            <Title order={2} data-testid="domain-title">
              {d.name}
            </Title>
            <RoleBadge role={d.role} />
          </Group>
          <Group gap="md" mt={4}>
            <Text c="dimmed" size="sm">
              {d.service}
            </Text>
            <CompanyCode companyId={d.companyId} />
          </Group>
        </div>
        {canWrite && (
          <Group gap="sm">
            <Button
              variant="default"
              leftSection={<EditIcon size={16} />}
              onClick={() => setEditing(true)}
              data-testid="domain-edit"
            >
              {t('common.edit')}
            </Button>
            <Button
              leftSection={<RadarIcon size={16} />}
              loading={scan.isPending}
              onClick={() => scan.mutate()}
              data-testid="domain-scan-now"
            >
              {t('email.scan.now')}
            </Button>
          </Group>
        )}
      </Group>
      {scan.isPending && (
        <Alert color="indigo" mb="md" data-testid="scan-running">
          <Group gap="sm">
            <Loader size="sm" />
            <Text size="sm">{t('email.scan.running', { name: d.name })}</Text>
          </Group>
        </Alert>
      )}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Card withBorder radius="md" padding="lg" mb="lg" data-testid="domain-posture">
            <Group justify="space-between" mb="sm" wrap="wrap">
              <Title order={4}>{t('email.posture')}</Title>
              <Group gap="sm">
                <Text size="xs" c="dimmed">
                  {d.lastScannedAt
                    ? t('email.scannedAt', { when: formatDate(d.lastScannedAt) })
                    : t('email.notScanned')}
                </Text>
                <CountBadges errors={d.errors} warnings={d.warnings} />
              </Group>
            </Group>
            <PostureBadges posture={d.posture} role={d.role} size="lg" />
            {d.lastAttemptAt && d.lastAttemptAt !== d.lastScannedAt && (
              <Alert color="orange" variant="light" mt="md" data-testid="last-attempt-incomplete">
                {t('email.lastAttemptIncomplete', { when: formatDate(d.lastAttemptAt) })}
              </Alert>
            )}
            {!d.posture && (
              <Text size="sm" c="dimmed" mt="sm">
                {canWrite ? t('email.notScannedHelpWrite') : t('email.notScannedHelp')}
              </Text>
            )}
          </Card>
          {d.lastScanId && <LatestScan scanId={d.lastScanId} />}
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Settings domain={d} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Card withBorder radius="md" padding="lg">
            <Title order={4} mb="xs">
              {t('email.timeline.title')}
            </Title>
            <Text size="sm" c="dimmed" mb="md">
              {t('email.timeline.help')}
            </Text>
            <ScanTimeline domainId={d.id} />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Card withBorder radius="md" padding="lg" data-testid="domain-alerts">
            <Title order={4} mb="xs">
              {t('email.alerts.title')}
            </Title>
            <Text size="sm" c="dimmed" mb="md">
              {t('email.alerts.domainHelp')}
            </Text>
            <AlertsList domainId={d.id} showDomain={false} />
          </Card>
        </Grid.Col>
      </Grid>
      <DomainFormModal opened={editing} domain={d} onClose={() => setEditing(false)} />
    </>
  );
}

function Settings({ domain: d }: { domain: EmailDomainDto }) {
  const t = useT();
  const formatDate = useFormatDate();
  const list = (items: string[]) =>
    items.length === 0 ? (
      '—'
    ) : (
      <Group gap={4}>
        {items.map((x) => (
          <Code key={x}>{x}</Code>
        ))}
      </Group>
    );
  return (
    <Card withBorder radius="md" padding="lg" data-testid="domain-settings">
      <Title order={4} mb="md">
        {t('email.settings')}
      </Title>
      <Stack gap="sm">
        <Field label={t('email.domain.owner')}>
          <PersonName id={d.ownerPersonId} />
        </Field>
        {d.role === 'sends' && <Field label={t('email.domain.selectors')}>{list(d.dkimSelectors)}</Field>}
        <Field label={t('email.domain.sources')}>{list(d.expectedSources)}</Field>
        <Field label={t('email.domain.interval')}>
          {t('email.everyHours', { hours: d.scanIntervalHours })}
        </Field>
        <Field label={t('email.nextScan')}>{formatDate(d.nextScanAt)}</Field>
        <Field label={t('email.domain.raiseRisks')}>
          {d.raiseRisks ? t('email.report.yes') : t('email.report.no')}
        </Field>
        <Field label={t('common.updatedAt')}>{formatDate(d.updatedAt)}</Field>
      </Stack>
    </Card>
  );
}

function LatestScan({ scanId }: { scanId: string }) {
  const t = useT();
  const scan = useQuery({
    queryKey: emailKeys.scan(scanId),
    queryFn: ({ signal }) => getScan(scanId, signal),
    staleTime: Infinity,
  });
  if (scan.isLoading) return <Loader size="sm" />;
  if (scan.error || !scan.data)
    return (
      <Alert color="red" mb="lg">
        <ProblemDetails error={scan.error} t={t} />
      </Alert>
    );
  // The stored report: JSON as the scanner wrote it (see the module's lib/posture.ts).
  const report = scan.data.report as unknown as PostureReport;
  const sending = report.role !== 'parked';
  return (
    <Card withBorder radius="md" padding="lg" mb="lg" data-testid="latest-scan">
      <Title order={4} mb="sm">
        {t('email.latestScan')}
      </Title>
      <Tabs defaultValue="findings" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="findings" data-testid="tab-findings">
            {t('email.findings')} ({scan.data.findings.length})
          </Tabs.Tab>
          <Tabs.Tab value="spf" data-testid="tab-spf">
            SPF
          </Tabs.Tab>
          <Tabs.Tab value="dmarc" data-testid="tab-dmarc">
            DMARC
          </Tabs.Tab>
          {sending && (
            <Tabs.Tab value="dkim" data-testid="tab-dkim">
              DKIM
            </Tabs.Tab>
          )}
          <Tabs.Tab value="mail" data-testid="tab-mail">
            {sending ? 'MX · MTA-STS · TLS-RPT' : 'MX'}
          </Tabs.Tab>
          {sending && report.bimi && (
            <Tabs.Tab value="bimi" data-testid="tab-bimi">
              BIMI
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="findings">
          <FindingsByCheck findings={scan.data.findings} />
        </Tabs.Panel>
        <Tabs.Panel value="spf">
          <SpfDetails spf={report.spf} />
        </Tabs.Panel>
        <Tabs.Panel value="dmarc">
          <DmarcDetails dmarc={report.dmarc} />
        </Tabs.Panel>
        <Tabs.Panel value="dkim">
          <DkimTable dkim={report.dkim} />
        </Tabs.Panel>
        <Tabs.Panel value="mail">
          <MailDetails report={report} />
        </Tabs.Panel>
        <Tabs.Panel value="bimi">
          <BimiDetails bimi={report.bimi ?? null} />
        </Tabs.Panel>
      </Tabs>
    </Card>
  );
}
