// A domain's timeline: its scans newest first, each with the DMARC policy found, its errors and warnings and
// what got worse since the scan before; a small chart of errors and warnings over time above; each scan opens
// onto its findings.
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  Loader,
  Paper,
  Stack,
  Text,
  Timeline,
  Tooltip,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip as ChartTooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { usePagedList } from '../../../shared/api/paged.ts';
import type { ScanDto } from '../../../shared/api/types.ts';
import { useFormatDate, useT } from '../../../shared/i18n/i18n.tsx';
import { AlertIcon, ChevronDownIcon, ChevronRightIcon } from '../../../shared/ui/icons.tsx';
import { LoadMore } from '../../../shared/ui/load-more.tsx';
import { ProblemDetails } from '../../../shared/ui/notify.tsx';
import { emailKeys, getScan } from '../email.api.ts';
import { scanSeries, type ScanPoint } from '../lib/posture.ts';
import { CountBadges, DmarcBadge } from './badges.tsx';
import { FindingsByCheck } from './report.tsx';

export function ScanTimeline({ domainId }: { domainId: string }) {
  const t = useT();
  const list = usePagedList<ScanDto>(
    emailKeys.scans(domainId),
    `/email/domains/${domainId}/scans`,
    {},
    {
      pageSize: 20,
    },
  );
  if (list.loading) return <Loader size="sm" />;
  if (list.error)
    return (
      <Alert color="red">
        <ProblemDetails error={list.error} t={t} />
      </Alert>
    );
  if (list.items.length === 0)
    return (
      <Text c="dimmed" size="sm" ta="center" py="md">
        {t('email.timeline.empty')}
      </Text>
    );
  return (
    <Stack gap="md">
      {list.items.length > 1 && <FindingsChart scans={list.items} />}
      <Timeline
        bulletSize={22}
        lineWidth={2}
        // Every scan has happened: all bullets in their own colour.
        active={list.items.length - 1}
        data-testid="scan-timeline"
      >
        {list.items.map((s) => (
          <Timeline.Item
            key={s.id}
            color={!s.complete ? 'gray' : s.regressions.length > 0 ? 'red' : s.errors > 0 ? 'orange' : 'teal'}
            bullet={s.regressions.length > 0 ? <AlertIcon size={12} /> : undefined}
            title={<ScanTitle scan={s} />}
            data-testid="timeline-item"
            data-regression={s.regressions.length > 0}
            data-complete={s.complete}
          >
            <ScanBody scan={s} />
          </Timeline.Item>
        ))}
      </Timeline>
      <LoadMore
        hasMore={list.hasMore}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
        shown={list.items.length}
        testId="timeline-load-more"
      />
    </Stack>
  );
}

function ScanTitle({ scan }: { scan: ScanDto }) {
  const t = useT();
  const formatDate = useFormatDate();
  return (
    <Group gap="xs" wrap="wrap">
      <Text size="sm" fw={600}>
        {formatDate(scan.scannedAt)}
      </Text>
      <DmarcBadge
        stage={scan.posture.dmarcPolicy}
        pct={scan.posture.dmarcPct}
        size="xs"
        testId="timeline-dmarc"
      />
      <CountBadges errors={scan.errors} warnings={scan.warnings} size="xs" />
      <Badge color="gray" variant="outline" size="xs">
        {t(`email.trigger.${scan.trigger}`)}
      </Badge>
      {!scan.complete && (
        <Tooltip label={t('email.timeline.incompleteHelp')} multiline maw={300}>
          <Badge color="gray" variant="filled" size="xs" data-testid="timeline-incomplete">
            {t('email.timeline.incomplete')}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}

function ScanBody({ scan }: { scan: ScanDto }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <Stack gap={6} mt={4} mb="sm">
      {scan.regressions.length > 0 && (
        <Paper radius="sm" p="xs" bg="red.0" withBorder data-testid="timeline-regressions">
          <Text size="xs" fw={700} c="red.8" mb={2}>
            {t('email.timeline.regressions')}
          </Text>
          <List size="sm" spacing={2}>
            {scan.regressions.map((r) => (
              <List.Item key={r.code} data-testid="regression">
                <Text span size="sm" c={r.severity === 'error' ? 'red.9' : 'orange.9'}>
                  {r.message}
                </Text>
              </List.Item>
            ))}
          </List>
        </Paper>
      )}
      <div>
        <Button
          variant="subtle"
          size="compact-xs"
          leftSection={open ? <ChevronDownIcon size={14} /> : <ChevronRightIcon size={14} />}
          onClick={() => setOpen((o) => !o)}
          data-testid="timeline-toggle"
        >
          {open ? t('email.timeline.hideFindings') : t('email.timeline.showFindings')}
        </Button>
      </div>
      {open && <ScanFindings scanId={scan.id} />}
    </Stack>
  );
}

function ScanFindings({ scanId }: { scanId: string }) {
  const t = useT();
  const scan = useQuery({
    queryKey: emailKeys.scan(scanId),
    queryFn: ({ signal }) => getScan(scanId, signal),
    staleTime: Infinity,
  });
  if (scan.isLoading) return <Loader size="xs" />;
  if (scan.error || !scan.data)
    return (
      <Alert color="red">
        <ProblemDetails error={scan.error} t={t} />
      </Alert>
    );
  return (
    <div data-testid="timeline-findings">
      <FindingsByCheck findings={scan.data.findings} />
    </div>
  );
}

interface ChartTooltipProps {
  active?: boolean;
  payload?: readonly { payload?: ScanPoint }[];
}

function FindingsChart({ scans }: { scans: readonly ScanDto[] }) {
  const t = useT();
  const formatDate = useFormatDate();
  const data = scanSeries(scans);
  const renderTooltip = ({ active, payload }: ChartTooltipProps) => {
    const p = active ? payload?.[0]?.payload : undefined;
    if (!p) return null;
    return (
      <div
        style={{
          background: 'white',
          border: '1px solid var(--mantine-color-gray-3)',
          borderRadius: 8,
          padding: '6px 10px',
          boxShadow: 'var(--mantine-shadow-sm)',
        }}
      >
        <Text size="xs" c="dimmed">
          {formatDate(p.scannedAt)}
        </Text>
        <Text size="xs">DMARC p={p.dmarcPolicy}</Text>
        <Text size="xs" c="red">
          {t('email.errorsCount', { count: p.errors })}
        </Text>
        <Text size="xs" c="yellow.8">
          {t('email.warningsCount', { count: p.warnings })}
        </Text>
        {!p.complete && (
          <Text size="xs" c="dimmed">
            {t('email.timeline.incomplete')}
          </Text>
        )}
        {p.regressions > 0 && (
          <Text size="xs" fw={700} c="red">
            {t('email.timeline.regressionCount', { count: p.regressions })}
          </Text>
        )}
      </div>
    );
  };
  return (
    <div data-testid="timeline-chart">
      <Text size="xs" c="dimmed" mb={4}>
        {t('email.timeline.chart', { count: data.length })}
      </Text>
      <ResponsiveContainer width="100%" height={140}>
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -24 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--mantine-color-gray-2)" />
          <XAxis
            dataKey="scannedAt"
            tickFormatter={(d: string) => formatDate(d, false)}
            tick={{ fontSize: 10, fill: 'var(--mantine-color-gray-6)' }}
            tickLine={false}
            minTickGap={24}
          />
          <YAxis
            allowDecimals={false}
            tick={{ fontSize: 10, fill: 'var(--mantine-color-gray-6)' }}
            tickLine={false}
            axisLine={false}
          />
          {data
            .filter((p) => p.regressions > 0)
            .map((p) => (
              <ReferenceLine
                key={p.id}
                x={p.scannedAt}
                stroke="var(--mantine-color-red-6)"
                strokeDasharray="3 3"
                strokeWidth={1.5}
              />
            ))}
          <ChartTooltip content={renderTooltip} cursor={{ fill: 'var(--mantine-color-gray-1)' }} />
          <Bar dataKey="errors" stackId="f" fill="var(--mantine-color-red-6)" isAnimationActive={false}>
            {data.map((p) => (
              <Cell
                key={p.id}
                fillOpacity={p.complete ? 1 : 0.35}
                stroke={p.regressions > 0 ? 'var(--mantine-color-red-9)' : undefined}
                strokeWidth={p.regressions > 0 ? 2 : 0}
              />
            ))}
          </Bar>
          <Bar
            dataKey="warnings"
            stackId="f"
            fill="var(--mantine-color-yellow-5)"
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          >
            {data.map((p) => (
              <Cell key={p.id} fillOpacity={p.complete ? 1 : 0.35} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
