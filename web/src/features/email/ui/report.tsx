// A scan's report, section by section: the findings grouped by check, SPF (flattened ranges, expected sources),
// DMARC (policy, report destinations), DKIM selectors, MX and MTA-STS, TLS-RPT and BIMI. Stored reports are JSON
// of any age, so every field is read defensively.
import type { ReactNode } from 'react';
import {
  Badge,
  Code,
  Group,
  Paper,
  Progress,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import type { FindingSeverity, PostureReport, ReportDestination } from '../../../shared/api/types.ts';
import { useFormatDate, useT, type MessageKey } from '../../../shared/i18n/i18n.tsx';
import { SEVERITY_COLOR, barValue, groupFindings, worst, type FindingLike } from '../lib/posture.ts';
import { SeverityBadge } from './badges.tsx';

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

function RecordText({ value }: { value: string | null | undefined }) {
  const t = useT();
  if (!value)
    return (
      <Text size="sm" c="dimmed">
        {t('email.report.noRecord')}
      </Text>
    );
  return (
    <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="report-record">
      {value}
    </Code>
  );
}

function YesNo({ value, good = true }: { value: boolean | null | undefined; good?: boolean }) {
  const t = useT();
  if (value === null || value === undefined)
    return (
      <Badge color="gray" variant="outline" size="sm">
        {t('email.report.unknown')}
      </Badge>
    );
  const ok = value === good;
  return (
    <Badge color={ok ? 'teal' : 'red'} variant="light" size="sm">
      {value ? t('email.report.yes') : t('email.report.no')}
    </Badge>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Title order={5} mb="sm">
        {title}
      </Title>
      <Stack gap="sm">{children}</Stack>
    </Paper>
  );
}

const checkLabel = (check: string): MessageKey =>
  (
    ({
      domain: 'email.check.domain',
      spf: 'email.check.spf',
      dmarc: 'email.check.dmarc',
      dkim: 'email.check.dkim',
      mx: 'email.check.mx',
      'mta-sts': 'email.check.mta-sts',
      'tls-rpt': 'email.check.tls-rpt',
      bimi: 'email.check.bimi',
      parked: 'email.check.parked',
    }) as Record<string, MessageKey>
  )[check] ?? 'email.check.other';

/** The findings of a scan grouped by check, the worst first, coloured by severity. */
export function FindingsByCheck({ findings }: { findings: readonly FindingLike[] }) {
  const t = useT();
  const groups = groupFindings(findings);
  if (groups.length === 0)
    return (
      <Text c="teal.7" size="sm" data-testid="findings-none">
        {t('email.report.noFindings')}
      </Text>
    );
  return (
    <Stack gap="sm" data-testid="findings">
      {groups.map((g) => {
        const w: FindingSeverity = worst(g.findings) ?? 'info';
        return (
          <Paper
            key={g.check}
            withBorder
            radius="md"
            p="sm"
            style={{ borderLeft: `4px solid var(--mantine-color-${SEVERITY_COLOR[w]}-6)` }}
            data-testid="finding-group"
            data-check={g.check}
          >
            <Text fw={600} size="sm" mb={6}>
              {t(checkLabel(g.check))}
            </Text>
            <Stack gap={6}>
              {g.findings.map((f, i) => (
                <Group key={`${f.code}-${i}`} gap="sm" align="flex-start" wrap="nowrap" data-testid="finding">
                  <SeverityBadge severity={f.severity} />
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm">
                      {f.selector && (
                        <Text span ff="monospace" size="sm" fw={600}>
                          {f.selector}:{' '}
                        </Text>
                      )}
                      {f.message}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {f.code}
                    </Text>
                  </div>
                </Group>
              ))}
            </Stack>
          </Paper>
        );
      })}
    </Stack>
  );
}

/** For an address the record does not list: fail is what a domain wants, pass means anyone may send. */
const SPF_RESULT_COLOR: Record<string, string> = {
  pass: 'red',
  fail: 'teal',
  softfail: 'yellow',
  neutral: 'orange',
  none: 'red',
  permerror: 'red',
  temperror: 'orange',
  invalid: 'red',
};

function Limit({ label, used, max }: { label: string; used: number; max: number }) {
  return (
    <div>
      <Group justify="space-between" mb={2}>
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          {label}
        </Text>
        <Text size="xs" fw={600} c={used > max ? 'red' : undefined}>
          {used} / {max}
        </Text>
      </Group>
      <Progress
        value={barValue(used, max)}
        color={used > max ? 'red' : used >= max * 0.8 ? 'yellow' : 'teal'}
        size="sm"
      />
    </div>
  );
}

export function SpfDetails({ spf }: { spf: PostureReport['spf'] | undefined }) {
  const t = useT();
  if (!spf) return null;
  const ip4 = spf.authorised?.ip4 ?? [];
  const ip6 = spf.authorised?.ip6 ?? [];
  return (
    <Stack gap="md" data-testid="report-spf">
      <Section title={t('email.report.record')}>
        <RecordText value={spf.record} />
        {(spf.records?.length ?? 0) > 1 && (
          <Text size="sm" c="red">
            {t('email.report.spfMany', { count: spf.records.length })}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Field label={t('email.report.spfOthers')}>
            {spf.result ? (
              <Badge color={SPF_RESULT_COLOR[spf.result] ?? 'gray'} variant="light" tt="none">
                {spf.result}
              </Badge>
            ) : (
              '—'
            )}
          </Field>
          <Limit label={t('email.report.lookups')} used={spf.lookups ?? 0} max={10} />
          <Limit label={t('email.report.voidLookups')} used={spf.voidLookups ?? 0} max={2} />
        </SimpleGrid>
      </Section>
      <Section title={t('email.report.authorised')} testId="spf-authorised">
        <Text size="xs" c="dimmed">
          {t('email.report.authorisedHelp', { ip4: ip4.length, ip6: ip6.length })}
        </Text>
        {ip4.length + ip6.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('email.report.noRanges')}
          </Text>
        ) : (
          <ScrollArea.Autosize mah={220}>
            <Group gap={6}>
              {[...ip4, ...ip6].map((cidr) => (
                <Code key={cidr} data-testid="spf-range">
                  {cidr}
                </Code>
              ))}
            </Group>
          </ScrollArea.Autosize>
        )}
        {(spf.unflattenable ?? []).length > 0 && (
          <Stack gap={2}>
            <Text size="xs" fw={600} c="orange.8">
              {t('email.report.unflattenable')}
            </Text>
            {spf.unflattenable.map((u, i) => (
              <Text key={i} size="xs">
                <Code>{u.term}</Code> ({u.domain}): {u.reason}
              </Text>
            ))}
          </Stack>
        )}
      </Section>
      <Section title={t('email.report.expectedSources')} testId="spf-expected">
        {(spf.expectedSources ?? []).length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('email.report.noExpectedSources')}
          </Text>
        ) : (
          <Table withRowBorders={false} verticalSpacing={4}>
            <Table.Tbody>
              {spf.expectedSources.map((s) => (
                <Table.Tr key={s.source} data-testid="spf-expected-row">
                  <Table.Td ff="monospace">{s.source}</Table.Td>
                  <Table.Td>
                    <Badge color={s.result === 'pass' ? 'teal' : 'red'} variant="light" tt="none">
                      {s.result}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {s.result === 'pass' ? t('email.report.sourceOk') : t('email.report.sourceNotOk')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
    </Stack>
  );
}

function Destinations({ title, list }: { title: string; list: readonly ReportDestination[] | undefined }) {
  const t = useT();
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
        {title}
      </Text>
      {(list ?? []).length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('email.report.noDestinations')}
        </Text>
      ) : (
        <Table withRowBorders={false} verticalSpacing={4}>
          <Table.Tbody>
            {list!.map((d) => (
              <Table.Tr key={d.uri} data-testid="dmarc-destination">
                <Table.Td ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                  {d.uri}
                </Table.Td>
                <Table.Td>
                  <Badge color={d.external ? 'grape' : 'gray'} variant="light" size="sm">
                    {d.external ? t('email.report.external') : t('email.report.internal')}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {d.external ? (
                    <Group gap={4} wrap="nowrap">
                      <Text size="xs" c="dimmed">
                        {t('email.report.authorisedByDestination')}
                      </Text>
                      <YesNo value={d.authorised} />
                    </Group>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </div>
  );
}

export function DmarcDetails({ dmarc }: { dmarc: PostureReport['dmarc'] | undefined }) {
  const t = useT();
  if (!dmarc) return null;
  const p = dmarc.policy;
  const align = (a: 'r' | 's' | undefined) =>
    a === 's' ? t('email.report.strict') : a === 'r' ? t('email.report.relaxed') : '—';
  return (
    <Stack gap="md" data-testid="report-dmarc">
      <Section title={t('email.report.record')}>
        <RecordText value={dmarc.record} />
        {dmarc.inherited && (
          <Text size="sm" c="orange.8">
            {t('email.report.inherited', { domain: dmarc.recordDomain ?? dmarc.organisationalDomain })}
          </Text>
        )}
        {p && (
          <SimpleGrid cols={{ base: 2, sm: 6 }}>
            <Field label="p">{p.p ?? '—'}</Field>
            <Field label="sp">{p.sp ?? '—'}</Field>
            <Field label={t('email.report.effective')}>
              <Text span fw={700} data-testid="dmarc-effective">
                {p.effective ?? '—'}
              </Text>
            </Field>
            <Field label="pct">{p.pct}</Field>
            <Field label="adkim">{align(p.adkim)}</Field>
            <Field label="aspf">{align(p.aspf)}</Field>
          </SimpleGrid>
        )}
        <Field label={t('email.report.orgDomain')}>{dmarc.organisationalDomain ?? '—'}</Field>
      </Section>
      <Section title={t('email.report.destinations')}>
        <Destinations title={t('email.report.rua')} list={dmarc.rua} />
        <Destinations title={t('email.report.ruf')} list={dmarc.ruf} />
      </Section>
    </Stack>
  );
}

export function DkimTable({ dkim }: { dkim: PostureReport['dkim'] | undefined }) {
  const t = useT();
  if (!dkim || dkim.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('email.report.noSelectors')}
      </Text>
    );
  return (
    <Paper withBorder radius="md">
      <Table verticalSpacing="xs" data-testid="report-dkim">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('email.report.selector')}</Table.Th>
            <Table.Th>{t('email.report.found')}</Table.Th>
            <Table.Th>{t('email.report.keyType')}</Table.Th>
            <Table.Th>{t('email.report.bits')}</Table.Th>
            <Table.Th>{t('email.report.testing')}</Table.Th>
            <Table.Th>{t('email.report.revoked')}</Table.Th>
            <Table.Th>{t('email.report.strong')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {dkim.map((d) => (
            <Table.Tr key={d.selector} data-testid="dkim-row">
              <Table.Td ff="monospace">{d.selector}</Table.Td>
              <Table.Td>
                <YesNo value={d.found} />
              </Table.Td>
              <Table.Td>{d.keyType ?? '—'}</Table.Td>
              <Table.Td>{d.bits ?? '—'}</Table.Td>
              <Table.Td>
                <YesNo value={d.testing} good={false} />
              </Table.Td>
              <Table.Td>
                <YesNo value={d.revoked} good={false} />
              </Table.Td>
              <Table.Td>
                <YesNo value={d.strong} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

export function MailDetails({ report }: { report: PostureReport }) {
  const t = useT();
  const mx = report.mx;
  const sts = report.mtaSts;
  const rpt = report.tlsRpt;
  return (
    <Stack gap="md">
      <Section title={t('email.check.mx')} testId="report-mx">
        {mx?.nullMx ? (
          <Text size="sm">{t('email.report.nullMx')}</Text>
        ) : (mx?.hosts ?? []).length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('email.report.noMx')}
          </Text>
        ) : (
          <Group gap={6}>
            {mx!.hosts.map((h) => (
              <Code key={`${h.preference}-${h.exchange}`}>
                {h.preference} {h.exchange || '.'}
              </Code>
            ))}
          </Group>
        )}
      </Section>
      {sts && (
        <Section title="MTA-STS" testId="report-mta-sts">
          <RecordText value={sts.record} />
          {sts.fetch && (
            <Text size="xs" c={sts.fetch.error ? 'red' : 'dimmed'} ff="monospace">
              {sts.fetch.url} — {sts.fetch.status ?? sts.fetch.error ?? '—'}
            </Text>
          )}
          {sts.policy && (
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Field label={t('email.report.mode')}>{sts.policy.mode}</Field>
              <Field label="mx">{sts.policy.mx.join(', ') || '—'}</Field>
              <Field label="max_age">
                {t('email.report.maxAgeDays', { days: Math.round(sts.policy.maxAge / 86_400) })}
              </Field>
            </SimpleGrid>
          )}
          {(sts.mxHosts ?? []).length > 0 && (
            <Group gap={6}>
              {sts.mxHosts.map((h) => (
                <Badge key={h.host} color={h.matched ? 'teal' : 'red'} variant="light" tt="none">
                  {h.host} {h.matched ? '✓' : '✕'}
                </Badge>
              ))}
            </Group>
          )}
        </Section>
      )}
      {rpt && (
        <Section title="TLS-RPT" testId="report-tls-rpt">
          <RecordText value={rpt.record} />
          {(rpt.rua ?? []).length > 0 && (
            <Field label={t('email.report.rua')}>
              <Stack gap={2}>
                {rpt.rua.map((u) => (
                  <Text key={u} size="sm" ff="monospace">
                    {u}
                  </Text>
                ))}
              </Stack>
            </Field>
          )}
        </Section>
      )}
    </Stack>
  );
}

export function BimiDetails({ bimi }: { bimi: PostureReport['bimi'] }) {
  const t = useT();
  const formatDate = useFormatDate();
  if (!bimi) return null;
  const cert = bimi.evidence?.certificate ?? null;
  return (
    <Section title="BIMI" testId="report-bimi">
      <RecordText value={bimi.record} />
      {bimi.declined && <Text size="sm">{t('email.report.bimiDeclined')}</Text>}
      {bimi.recordDomain && <Field label={t('email.report.recordAt')}>{bimi.recordDomain}</Field>}
      {bimi.logo && (
        <Field label={t('email.report.logo')}>
          <Stack gap={2}>
            <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
              {bimi.logo.url} — {bimi.logo.status ?? bimi.logo.error ?? '—'}
            </Text>
            {bimi.logo.svg && (
              <Group gap={6}>
                <Badge color={bimi.logo.svg.svg ? 'teal' : 'red'} variant="light" tt="none">
                  SVG
                </Badge>
                <Badge color={bimi.logo.svg.tinyPs ? 'teal' : 'orange'} variant="light" tt="none">
                  SVG Tiny PS
                </Badge>
                {bimi.logo.svg.title && <Text size="xs">{bimi.logo.svg.title}</Text>}
              </Group>
            )}
          </Stack>
        </Field>
      )}
      {bimi.evidence && (
        <Field label={t('email.report.evidence')}>
          <Stack gap={2}>
            <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
              {bimi.evidence.url} — {bimi.evidence.status ?? bimi.evidence.error ?? '—'}
            </Text>
            {cert && (
              <Text size="xs">
                {cert.subject ?? '—'} · {cert.issuer ?? '—'} · {formatDate(cert.validTo, false)}
              </Text>
            )}
          </Stack>
        </Field>
      )}
    </Section>
  );
}
