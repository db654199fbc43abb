// The DMARC rollout board: the group's sending domains in four columns, from no policy to p=reject, so that the
// way left to enforcement is seen at a glance; filtered by company. Each card carries the domain's readiness for
// its next policy, judged from the DMARC reports of the last 30 days.
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Group,
  Paper,
  ScrollArea,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import type { DmarcReadiness, RolloutBoard } from '../../shared/api/types.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { ReadinessLine, useDmarcReadiness } from '../../shared/ui/dmarc-readiness.tsx';
import { ChevronRightIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { emailKeys, getRolloutBoard } from './email.api.ts';
import { STAGE_COLOR, STAGE_FILL } from './lib/posture.ts';
import { CountBadges } from './ui/badges.tsx';
import { CompanyCode } from '../../shared/ui/company-code.tsx';

type Column = RolloutBoard['columns'][number];
type Card = Column['domains'][number];

export function RolloutBoardPage() {
  const t = useT();
  const lookup = useCompanyLookup();
  const [params, setParams] = useSearchParams();
  const companyId = params.get('companyId') ?? '';
  const board = useQuery({
    queryKey: emailKeys.board(companyId),
    queryFn: ({ signal }) => getRolloutBoard(companyId, signal),
    placeholderData: keepPreviousData,
  });
  const total = board.data?.columns.reduce((n, c) => n + c.domains.length, 0) ?? 0;
  const readiness = useDmarcReadiness(companyId);
  const verdicts = new Map((readiness.data?.domains ?? []).map((r) => [r.domain, r]));

  return (
    <>
      <PageHeader
        title={t('email.board.title')}
        description={t('email.board.description')}
        actions={
          <Select
            placeholder={t('email.allCompanies')}
            data={lookup.options}
            value={companyId || null}
            onChange={(v) => setParams(v ? { companyId: v } : {}, { replace: true })}
            searchable
            clearable
            w={260}
            data-testid="board-company"
          />
        }
      />
      {board.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={board.error} t={t} />
        </Alert>
      )}
      {board.data && total > 0 && (
        <Paper withBorder radius="md" p="sm" mb="md">
          <Group gap={0} h={10} style={{ borderRadius: 5, overflow: 'hidden' }} wrap="nowrap">
            {board.data.columns.map((c) =>
              c.domains.length > 0 ? (
                <Box
                  key={c.stage}
                  h={10}
                  w={`${(c.domains.length / total) * 100}%`}
                  bg={STAGE_FILL[c.stage]}
                />
              ) : null,
            )}
          </Group>
          <Text size="xs" c="dimmed" mt={6}>
            {t('email.board.summary', {
              reject: board.data.columns.find((c) => c.stage === 'reject')?.domains.length ?? 0,
              count: total,
            })}
          </Text>
        </Paper>
      )}
      <ScrollArea type="auto" offsetScrollbars>
        <SimpleGrid cols={4} spacing="md" miw={960} data-testid="rollout-board">
          {(
            board.data?.columns ??
            (['missing', 'none', 'quarantine', 'reject'] as const).map((stage) => ({
              stage,
              domains: [],
            }))
          ).map((c, i) => (
            <BoardColumn
              key={c.stage}
              column={c}
              last={i === 3}
              loading={board.isLoading}
              verdicts={verdicts}
            />
          ))}
        </SimpleGrid>
      </ScrollArea>
    </>
  );
}

function BoardColumn({
  column,
  last,
  loading,
  verdicts,
}: {
  column: Column;
  last: boolean;
  loading: boolean;
  verdicts: Map<string, DmarcReadiness>;
}) {
  const t = useT();
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      bg="gray.0"
      style={{ borderTop: `4px solid ${STAGE_FILL[column.stage]}` }}
      data-testid={`rollout-column-${column.stage}`}
    >
      <Group justify="space-between" mb={4} wrap="nowrap">
        <Group gap={6} wrap="nowrap">
          <Text fw={700} size="sm">
            {t(`email.stage.${column.stage}`)}
          </Text>
          {!last && <ChevronRightIcon size={14} color="var(--mantine-color-gray-5)" />}
        </Group>
        <Badge color={STAGE_COLOR[column.stage]} variant="light" circle={column.domains.length < 100}>
          {column.domains.length}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        {t(`email.stageHelp.${column.stage}`)}
      </Text>
      <Stack gap="xs">
        {loading && [0, 1].map((k) => <Skeleton key={k} h={72} radius="md" />)}
        {!loading && column.domains.length === 0 && (
          <Text size="xs" c="dimmed" ta="center" py="md">
            {t('email.board.emptyColumn')}
          </Text>
        )}
        {column.domains.map((d) => (
          <DomainCard key={d.id} card={d} stage={column.stage} readiness={verdicts.get(d.name)} />
        ))}
      </Stack>
    </Paper>
  );
}

function DomainCard({
  card: d,
  stage,
  readiness,
}: {
  card: Card;
  stage: Column['stage'];
  readiness: DmarcReadiness | undefined;
}) {
  const t = useT();
  const formatDate = useFormatDate();
  const partial = d.dmarcPct !== null && d.dmarcPct < 100 && (stage === 'quarantine' || stage === 'reject');
  return (
    <Paper withBorder radius="md" p="xs" bg="white" data-testid="rollout-card" data-domain={d.name}>
      <Group justify="space-between" wrap="nowrap" gap={4}>
        <Anchor component={Link} to={`/email/domains/${d.id}`} fw={600} size="sm" truncate>
          {d.name}
        </Anchor>
        <CompanyCode companyId={d.companyId} size="xs" />
      </Group>
      <Text size="xs" c="dimmed" truncate>
        {d.service}
      </Text>
      {readiness && (
        <Box mt={6}>
          {/* The DMARC view of the domain, by URL (a feature does not import another); see its domainPath. */}
          <Anchor component={Link} to={`/dmarc/domains/${encodeURIComponent(d.name)}/`} underline="never">
            <ReadinessLine readiness={readiness} testId="rollout-readiness" />
          </Anchor>
        </Box>
      )}
      <Group justify="space-between" mt={6} wrap="nowrap">
        <Group gap={4} wrap="nowrap">
          <CountBadges errors={d.errors} warnings={d.warnings} size="xs" />
          {partial && (
            <Badge size="xs" color="orange" variant="light" tt="none">
              pct={d.dmarcPct}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {d.lastScannedAt ? formatDate(d.lastScannedAt, false) : t('email.notScanned')}
        </Text>
      </Group>
    </Paper>
  );
}
