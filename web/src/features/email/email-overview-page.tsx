// The group's anti-phishing overview: how far its domains are from spoofing-proof, as charts rather than
// tables. DMARC policies as a donut, each mechanism as a share of the domains it applies to, the companies side
// by side, and the open alerts.
import type { ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  Grid,
  Group,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Cell, Pie, PieChart, ResponsiveContainer, Tooltip as ChartTooltip } from 'recharts';
import { Link, useSearchParams } from 'react-router';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import { DMARC_STAGES, type DmarcStage, type Rollup } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { AlertIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { emailKeys, getRollup } from './email.api.ts';
import { STAGE_COLOR, STAGE_FILL, barValue, share } from './lib/posture.ts';
import { AlertsList } from './ui/alerts-list.tsx';
import { BoardIcon, GlobeIcon, MailShieldIcon, RadarIcon } from './ui/icons.tsx';
import { CompanyCode } from '../../shared/ui/company-code.tsx';
import { RescanButton, RescanProgress, useRescan } from './ui/rescan.tsx';

function Kpi({
  label,
  value,
  sub,
  icon,
  color,
  testId,
}: {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  icon: ReactNode;
  color: string;
  testId: string;
}) {
  return (
    <Card withBorder radius="md" padding="lg">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {label}
          </Text>
          <Text fz={30} fw={700} lh={1.2} data-testid={testId}>
            {value}
          </Text>
          {sub && (
            <Text size="xs" c="dimmed">
              {sub}
            </Text>
          )}
        </div>
        <ThemeIcon variant="light" color={color} radius="md" size="lg">
          {icon}
        </ThemeIcon>
      </Group>
    </Card>
  );
}

function DmarcDonut({ rollup }: { rollup: Rollup }) {
  const t = useT();
  const scanned = DMARC_STAGES.reduce((n, s) => n + rollup.dmarc[s], 0);
  const data = DMARC_STAGES.map((stage) => ({ stage, value: rollup.dmarc[stage] })).filter(
    (d) => d.value > 0,
  );
  const rejectShare = share(rollup.dmarc.reject, scanned);
  return (
    <Card withBorder radius="md" padding="lg" h="100%" data-testid="dmarc-donut">
      <Title order={4}>{t('email.overview.dmarcTitle')}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('email.overview.dmarcHelp', { count: scanned })}
      </Text>
      <Group align="center" wrap="nowrap" gap="lg">
        <Box pos="relative" w={180} h={180} style={{ flexShrink: 0 }}>
          <ResponsiveContainer width="100%" height="100%">
            <PieChart>
              <Pie
                data={data.length ? data : [{ stage: 'empty', value: 1 }]}
                dataKey="value"
                nameKey="stage"
                innerRadius={58}
                outerRadius={86}
                paddingAngle={data.length > 1 ? 2 : 0}
                startAngle={90}
                endAngle={-270}
                isAnimationActive={false}
                stroke="none"
              >
                {(data.length ? data : [{ stage: 'empty', value: 1 }]).map((d) => (
                  <Cell
                    key={d.stage}
                    fill={
                      d.stage === 'empty' ? 'var(--mantine-color-gray-2)' : STAGE_FILL[d.stage as DmarcStage]
                    }
                  />
                ))}
              </Pie>
              {data.length > 0 && (
                <ChartTooltip
                  formatter={(value, name) => [String(value), t(`email.stage.${name as DmarcStage}`)]}
                />
              )}
            </PieChart>
          </ResponsiveContainer>
          <Stack
            gap={0}
            align="center"
            justify="center"
            pos="absolute"
            top={0}
            left={0}
            w="100%"
            h="100%"
            style={{ pointerEvents: 'none' }}
          >
            <Text fz={26} fw={700} data-testid="dmarc-reject-share">
              {rejectShare === null ? '—' : `${rejectShare}%`}
            </Text>
            <Text size="xs" c="dimmed">
              p=reject
            </Text>
          </Stack>
        </Box>
        <Stack gap={8} style={{ flex: 1 }}>
          {DMARC_STAGES.map((stage) => (
            <Group key={stage} justify="space-between" wrap="nowrap" data-testid={`dmarc-count-${stage}`}>
              <Group gap={8} wrap="nowrap">
                <Box w={12} h={12} style={{ borderRadius: 3, background: STAGE_FILL[stage] }} />
                <Text size="sm">{t(`email.stage.${stage}`)}</Text>
              </Group>
              <Group gap={6} wrap="nowrap">
                <Text size="sm" fw={700}>
                  {rollup.dmarc[stage]}
                </Text>
                <Text size="xs" c="dimmed" w={38} ta="right">
                  {share(rollup.dmarc[stage], scanned) ?? 0}%
                </Text>
              </Group>
            </Group>
          ))}
        </Stack>
      </Group>
    </Card>
  );
}

interface Segment {
  value: number;
  color: string;
  label: string;
}

function MechanismBar({
  label,
  help,
  part,
  total,
  segments,
  testId,
}: {
  label: string;
  help: string;
  part: number;
  total: number;
  segments?: Segment[];
  testId: string;
}) {
  const pct = share(part, total);
  return (
    <div data-testid={testId}>
      <Group justify="space-between" mb={4} wrap="nowrap">
        <Tooltip label={help} multiline maw={320}>
          <Text size="sm" fw={500}>
            {label}
          </Text>
        </Tooltip>
        <Text size="sm">
          <Text span fw={700} data-testid={`${testId}-value`}>
            {part}
          </Text>{' '}
          / {total}
          <Text span c="dimmed" size="xs" ml={6}>
            {pct === null ? '—' : `${pct}%`}
          </Text>
        </Text>
      </Group>
      {segments ? (
        <Progress.Root size="lg" radius="sm">
          {segments.map((s) =>
            s.value > 0 ? (
              <Tooltip key={s.label} label={`${s.label}: ${s.value}`}>
                <Progress.Section value={barValue(s.value, total)} color={s.color} />
              </Tooltip>
            ) : null,
          )}
        </Progress.Root>
      ) : (
        <Progress
          value={barValue(part, total)}
          size="lg"
          radius="sm"
          color={pct === null ? 'gray' : pct >= 80 ? 'teal' : pct >= 40 ? 'yellow' : 'red'}
        />
      )}
    </div>
  );
}

function Mechanisms({ rollup }: { rollup: Rollup }) {
  const t = useT();
  const r = rollup;
  return (
    <Card withBorder radius="md" padding="lg" h="100%" data-testid="mechanisms">
      <Title order={4}>{t('email.overview.mechanismsTitle')}</Title>
      <Text size="sm" c="dimmed" mb="md">
        {r.scanned < r.domains
          ? t('email.overview.mechanismsHelpUnscanned', { count: r.domains - r.scanned })
          : t('email.overview.mechanismsHelp')}
      </Text>
      <Stack gap="md">
        <MechanismBar
          label={t('email.overview.spfOk')}
          help={t('email.overview.spfOkHelp')}
          part={r.spf.pass}
          total={r.scanned}
          testId="mech-spf"
          segments={[
            { value: r.spf.pass, color: 'teal', label: t('email.spf.pass') },
            { value: r.spf.warn, color: 'yellow', label: t('email.spf.warn') },
            { value: r.spf.fail, color: 'red', label: t('email.spf.fail') },
            { value: r.spf.missing, color: 'gray.5', label: t('email.spf.missing') },
          ]}
        />
        <MechanismBar
          label={t('email.overview.dkimStrong')}
          help={t('email.overview.dkimStrongHelp')}
          part={r.dkimStrong}
          total={r.sending}
          testId="mech-dkim"
        />
        <MechanismBar
          label={t('email.overview.mtaStsEnforce')}
          help={t('email.overview.mtaStsHelp')}
          part={r.mtaSts.enforce}
          total={r.sending}
          testId="mech-mta-sts"
          segments={[
            { value: r.mtaSts.enforce, color: 'teal', label: t('email.mtaSts.enforce') },
            { value: r.mtaSts.testing, color: 'yellow', label: t('email.mtaSts.testing') },
            { value: r.mtaSts.none, color: 'orange', label: t('email.mtaSts.none') },
          ]}
        />
        <MechanismBar
          label="TLS-RPT"
          help={t('email.overview.tlsRptHelp')}
          part={r.tlsRpt}
          total={r.sending}
          testId="mech-tls-rpt"
        />
        <MechanismBar
          label="BIMI"
          help={t('email.overview.bimiHelp')}
          part={r.bimi}
          total={r.sending}
          testId="mech-bimi"
        />
        <MechanismBar
          label={t('email.overview.parkedLocked')}
          help={t('email.overview.parkedLockedHelp')}
          part={r.parkedLocked}
          total={r.parked}
          testId="mech-parked"
        />
      </Stack>
    </Card>
  );
}

function CompaniesTable({ rollup }: { rollup: Rollup }) {
  const t = useT();
  const lookup = useCompanyLookup();
  const rows = [...rollup.companies].sort((a, b) =>
    (lookup.byId.get(a.companyId)?.shortCode ?? a.companyId).localeCompare(
      lookup.byId.get(b.companyId)?.shortCode ?? b.companyId,
    ),
  );
  return (
    <Card withBorder radius="md" padding="lg" data-testid="companies-table">
      <Title order={4} mb="xs">
        {t('email.overview.companiesTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('email.overview.companiesHelp')}
      </Text>
      {rows.length === 0 ? (
        <Text c="dimmed" size="sm" ta="center" py="md">
          {t('email.domains.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('email.company')}</Table.Th>
                <Table.Th ta="right">{t('email.overview.domains')}</Table.Th>
                <Table.Th w="32%">{t('email.dmarcPolicy')}</Table.Th>
                {DMARC_STAGES.map((s) => (
                  <Table.Th key={s} ta="right">
                    <Text span size="xs" fw={700} c={`${STAGE_COLOR[s]}.8`}>
                      {s === 'missing' ? t('email.stageShort.missing') : `p=${s}`}
                    </Text>
                  </Table.Th>
                ))}
                <Table.Th ta="right">{t('email.overview.withErrors')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => {
                const scanned = DMARC_STAGES.reduce((n, s) => n + c.dmarc[s], 0);
                const company = lookup.byId.get(c.companyId);
                return (
                  <Table.Tr key={c.companyId} data-testid="company-row">
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/email/domains?companyId=${c.companyId}`}
                        size="sm"
                        ff="monospace"
                        fw={600}
                      >
                        {company?.shortCode ?? <CompanyCode companyId={c.companyId} />}
                      </Anchor>
                      <Text size="xs" c="dimmed" truncate maw={200}>
                        {company?.legalName}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{c.domains}</Table.Td>
                    <Table.Td>
                      {scanned === 0 ? (
                        <Text size="xs" c="dimmed">
                          {t('email.notScanned')}
                        </Text>
                      ) : (
                        <Progress.Root size="lg" radius="sm">
                          {DMARC_STAGES.map((s) =>
                            c.dmarc[s] > 0 ? (
                              <Tooltip key={s} label={`${t(`email.stage.${s}`)}: ${c.dmarc[s]}`}>
                                <Progress.Section
                                  value={barValue(c.dmarc[s], scanned)}
                                  color={STAGE_FILL[s]}
                                />
                              </Tooltip>
                            ) : null,
                          )}
                        </Progress.Root>
                      )}
                    </Table.Td>
                    {DMARC_STAGES.map((s) => (
                      <Table.Td key={s} ta="right" data-testid={`company-${s}`}>
                        <Text size="sm" c={c.dmarc[s] ? undefined : 'dimmed'}>
                          {c.dmarc[s]}
                        </Text>
                      </Table.Td>
                    ))}
                    <Table.Td ta="right">
                      {c.withErrors > 0 ? (
                        <Anchor
                          component={Link}
                          to={`/email/domains?companyId=${c.companyId}&failing=true`}
                          size="sm"
                        >
                          <Badge color="red" variant="filled">
                            {c.withErrors}
                          </Badge>
                        </Anchor>
                      ) : (
                        <Text size="sm" c="dimmed">
                          0
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

export function EmailOverviewPage() {
  const t = useT();
  const can = useCan();
  const lookup = useCompanyLookup();
  const [params, setParams] = useSearchParams();
  const companyId = params.get('companyId') ?? '';
  const rollup = useQuery({
    queryKey: emailKeys.rollup(companyId),
    queryFn: ({ signal }) => getRollup(companyId, signal),
    placeholderData: keepPreviousData,
  });
  const rescan = useRescan();
  const r = rollup.data;

  return (
    <>
      <PageHeader
        title={t('email.overview.title')}
        description={t('email.overview.description')}
        actions={
          <>
            <Select
              placeholder={t('email.allCompanies')}
              data={lookup.options}
              value={companyId || null}
              onChange={(v) => setParams(v ? { companyId: v } : {}, { replace: true })}
              searchable
              clearable
              w={240}
              data-testid="overview-company"
            />
            <Button
              variant="default"
              component={Link}
              to={companyId ? `/email/rollout?companyId=${companyId}` : '/email/rollout'}
              leftSection={<BoardIcon size={16} />}
            >
              {t('email.nav.rollout')}
            </Button>
            {can('email.write') && <RescanButton rescan={rescan} companyId={companyId || null} />}
          </>
        }
      />
      <RescanProgress rescan={rescan} />
      {rollup.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={rollup.error} t={t} />
        </Alert>
      )}
      {!r ? (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} mb="lg">
          {[0, 1, 2, 3].map((k) => (
            <Skeleton key={k} h={110} radius="md" />
          ))}
        </SimpleGrid>
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} mb="lg">
            <Kpi
              label={t('email.overview.domains')}
              value={r.domains}
              sub={t('email.overview.domainsSub', { sending: r.sending, parked: r.parked })}
              icon={<GlobeIcon size={18} />}
              color="indigo"
              testId="kpi-domains"
            />
            <Kpi
              label={t('email.overview.scanned')}
              value={`${r.scanned} / ${r.domains}`}
              sub={
                r.scanned < r.domains
                  ? t('email.overview.unscanned', { count: r.domains - r.scanned })
                  : t('email.overview.allScanned')
              }
              icon={<RadarIcon size={18} />}
              color="blue"
              testId="kpi-scanned"
            />
            <Kpi
              label={t('email.overview.enforced')}
              value={`${share(r.dmarc.quarantine + r.dmarc.reject, r.scanned) ?? 0}%`}
              sub={t('email.overview.enforcedSub', {
                count: r.dmarc.quarantine + r.dmarc.reject,
                total: r.scanned,
              })}
              icon={<MailShieldIcon size={18} />}
              color="teal"
              testId="kpi-enforced"
            />
            <Kpi
              label={t('email.overview.withErrors')}
              value={r.withErrors}
              sub={t('email.overview.withErrorsSub')}
              icon={<AlertIcon size={18} />}
              color={r.withErrors > 0 ? 'red' : 'gray'}
              testId="kpi-errors"
            />
          </SimpleGrid>
          <Grid gap="lg" mb="lg">
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <DmarcDonut rollup={r} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Mechanisms rollup={r} />
            </Grid.Col>
          </Grid>
          <Box mb="lg">
            <CompaniesTable rollup={r} />
          </Box>
        </>
      )}
      <Paper withBorder radius="md" p="lg" data-testid="overview-alerts">
        <Group justify="space-between" mb="xs">
          <Title order={4}>{t('email.alerts.openTitle')}</Title>
          <Anchor component={Link} to="/email/domains?failing=true" size="sm">
            {t('email.overview.failingDomains')}
          </Anchor>
        </Group>
        <Text size="sm" c="dimmed" mb="md">
          {t('email.alerts.help')}
        </Text>
        <AlertsList companyId={companyId || undefined} openOnly />
      </Paper>
    </>
  );
}
