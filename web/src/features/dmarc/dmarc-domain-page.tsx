// One domain's DMARC reports: its charts, then what a team acts on: the failing sources of its own (to align),
// the unknown failing sources (likely spoofing, which a stricter policy stops), the passing ones, and the verdict
// for its next policy; a link to the domain's sender authentication page and its records as CSV.
import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Group,
  List,
  Loader,
  Menu,
  Skeleton,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useT } from '../../shared/i18n/i18n.tsx';
import { ReadinessBadge, reasonText, useDmarcReadiness } from '../../shared/ui/dmarc-readiness.tsx';
import { ChevronDownIcon, DownloadIcon, LinkIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { dmarcKeys, findEmailDomain, getAnalysis, getSources, recordsCsvUrl } from './dmarc.api.ts';
import { AnalysisCharts, Headline } from './ui/charts.tsx';
import { DaysControl, useUrlFilters } from './ui/filters.tsx';
import { CompanyCode } from '../../shared/ui/company-code.tsx';
import { PolicyBadge } from './ui/readiness-table.tsx';
import { SourcesTable } from './ui/sources-table.tsx';

type SourceTab = 'ours' | 'unknown' | 'passing';
const TABS: readonly SourceTab[] = ['ours', 'unknown', 'passing'];

export function DmarcDomainPage() {
  const t = useT();
  const { domain: raw = '' } = useParams();
  const domain = raw.toLowerCase();
  const { get, set, days } = useUrlFilters();
  const query = { domain, days };
  const analysis = useQuery({
    queryKey: dmarcKeys.analysis(query),
    queryFn: ({ signal }) => getAnalysis(query, signal),
    placeholderData: keepPreviousData,
  });
  const sources = useQuery({
    queryKey: dmarcKeys.sources(domain, days),
    queryFn: ({ signal }) => getSources(domain, days, signal),
    placeholderData: keepPreviousData,
  });
  const inventory = useQuery({
    queryKey: dmarcKeys.emailDomain(domain),
    queryFn: ({ signal }) => findEmailDomain(domain, signal),
    staleTime: 60_000,
  });
  const companyId = inventory.data?.companyId;
  const readiness = useDmarcReadiness(companyId, days, Boolean(companyId));
  const verdict = readiness.data?.domains.find((d) => d.domain === domain);

  const s = sources.data;
  const csvOf = (ip: string) => recordsCsvUrl({ domain, days, sourceIp: ip });
  const requested = get('tab') as SourceTab;
  // Open on the list that needs doing first: our own failing sources, then the unknown ones.
  const tab: SourceTab = TABS.includes(requested)
    ? requested
    : s && s.ours.length === 0 && s.unknown.length > 0
      ? 'unknown'
      : 'ours';

  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to={`/dmarc?days=${days}`} size="sm">
          {t('dmarc.nav.overview')}
        </Anchor>
        <Text size="sm">{domain}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start" mb="lg" wrap="wrap">
        <div>
          <Title order={2} data-testid="dmarc-domain-title">
            {domain}
          </Title>
          <Group gap="md" mt={4}>
            {inventory.data && (
              <>
                <Text c="dimmed" size="sm">
                  {inventory.data.service}
                </Text>
                <CompanyCode companyId={inventory.data.companyId} />
              </>
            )}
          </Group>
        </div>
        <Group gap="sm">
          <DaysControl days={days} onChange={(d) => set({ days: String(d) })} />
          {inventory.data && (
            <Button
              variant="default"
              component={Link}
              to={`/email/domains/${inventory.data.id}`}
              leftSection={<LinkIcon size={16} />}
              data-testid="dmarc-email-domain-link"
            >
              {t('dmarc.domainPage.posture')}
            </Button>
          )}
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button
                variant="default"
                leftSection={<DownloadIcon size={16} />}
                rightSection={<ChevronDownIcon size={14} />}
                data-testid="dmarc-csv"
              >
                {t('dmarc.domainPage.csv')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{t('dmarc.domainPage.csvHelp', { days })}</Menu.Label>
              {(['all', 'fail', 'pass'] as const).map((which) => (
                <Menu.Item
                  key={which}
                  component="a"
                  href={recordsCsvUrl({ domain, days, dmarc: which === 'all' ? undefined : which })}
                  download
                  data-testid={`dmarc-csv-${which}`}
                >
                  {t(`dmarc.domainPage.csv.${which}`)}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      {(analysis.error || sources.error) && (
        <Alert color="red" mb="md">
          <ProblemDetails error={analysis.error ?? sources.error} t={t} />
        </Alert>
      )}
      {analysis.data ? (
        <>
          <Headline analysis={analysis.data} />
          <AnalysisCharts analysis={analysis.data} />
        </>
      ) : (
        !analysis.error && <Skeleton h={240} radius="md" mb="lg" />
      )}
      <Card withBorder radius="md" padding="lg" mb="lg" data-testid="dmarc-domain-readiness">
        <Group justify="space-between" wrap="wrap" mb="xs">
          <Title order={4}>{t('dmarc.readiness.domainTitle')}</Title>
          {verdict && (
            <Group gap="xs">
              <PolicyBadge policy={verdict.policy} />
              <ReadinessBadge readiness={verdict} size="lg" />
            </Group>
          )}
        </Group>
        {readiness.isLoading || inventory.isLoading ? (
          <Loader size="sm" />
        ) : verdict ? (
          <>
            <Text size="sm" c="dimmed">
              {t(`dmarc.verdictHelp.${verdict.verdict}`)}
            </Text>
            <List size="sm" mt="xs" data-testid="readiness-reasons">
              {verdict.reasons.map((r) => (
                <List.Item key={r.code}>{reasonText(t, r)}</List.Item>
              ))}
            </List>
            <Text size="xs" c="dimmed" mt="xs">
              {t('dmarc.readiness.counts', {
                messages: verdict.messages.toLocaleString(),
                legitimate: verdict.legitimate.toLocaleString(),
              })}
            </Text>
          </>
        ) : (
          <Text size="sm" c="dimmed">
            {t('dmarc.readiness.notSending')}
          </Text>
        )}
      </Card>
      <Card withBorder radius="md" padding="lg" data-testid="dmarc-sources">
        <Title order={4}>{t('dmarc.sources.title')}</Title>
        <Text size="sm" c="dimmed" mb="md">
          {t('dmarc.sources.help')}
        </Text>
        {!s ? (
          !sources.error && <Skeleton h={120} />
        ) : (
          <Tabs value={tab} onChange={(v) => set({ tab: v })} keepMounted={false}>
            <Tabs.List mb="md">
              <Tabs.Tab
                value="ours"
                rightSection={<CountBadge count={s.ours.length} color="orange" />}
                data-testid="tab-ours"
              >
                {t('dmarc.sources.ours')}
              </Tabs.Tab>
              <Tabs.Tab
                value="unknown"
                rightSection={<CountBadge count={s.unknown.length} color="red" />}
                data-testid="tab-unknown"
              >
                {t('dmarc.sources.unknown')}
              </Tabs.Tab>
              <Tabs.Tab
                value="passing"
                rightSection={<CountBadge count={s.passing.length} color="teal" />}
                data-testid="tab-passing"
              >
                {t('dmarc.sources.passing')}
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="ours">
              <Text size="sm" mb="sm">
                {t('dmarc.sources.oursHelp')}
              </Text>
              <SourcesTable
                sources={s.ours}
                kind="ours"
                csvHref={csvOf}
                empty={t('dmarc.sources.oursEmpty')}
              />
            </Tabs.Panel>
            <Tabs.Panel value="unknown">
              <Text size="sm" mb="sm">
                {t('dmarc.sources.unknownHelp')}
              </Text>
              <SourcesTable
                sources={s.unknown}
                kind="unknown"
                csvHref={csvOf}
                empty={t('dmarc.sources.unknownEmpty')}
              />
            </Tabs.Panel>
            <Tabs.Panel value="passing">
              <SourcesTable
                sources={s.passing}
                kind="passing"
                csvHref={csvOf}
                empty={t('dmarc.sources.passingEmpty')}
              />
            </Tabs.Panel>
          </Tabs>
        )}
      </Card>
    </>
  );
}

function CountBadge({ count, color }: { count: number; color: string }) {
  return (
    <Badge
      size="sm"
      variant={count > 0 ? 'filled' : 'light'}
      color={count > 0 ? color : 'gray'}
      circle={count < 100}
    >
      {count}
    </Badge>
  );
}
