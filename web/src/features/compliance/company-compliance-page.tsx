// One company's compliance: the frameworks it adopted with their scores, and its certifications.
import { useState } from 'react';
import {
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Card,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../../shared/api/client.ts';
import type { CompanyDto } from '../../shared/api/types.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { PlusIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { AdoptModal } from './adopt-modal.tsx';
import { complianceKeys, listCertifications } from './compliance.api.ts';
import { useAdoptions } from './compliance.queries.ts';
import { daysBetween, localToday } from './lib/dates.ts';
import { CertificationStatusBadge, DaysLeftBadge, OverdueBadge } from './ui/badges.tsx';
import { useFormatDay } from './ui/format.ts';
import { AwardIcon, ListCheckIcon } from './ui/icons.tsx';
import { ScoreBar, ScoreFigures, ScoreRing } from './ui/score.tsx';

export function CompanyCompliancePage() {
  const t = useT();
  const can = useCan();
  const formatDate = useFormatDate();
  const formatDay = useFormatDay();
  const { id = '' } = useParams();
  const company = useQuery({
    queryKey: ['companies', 'one', id],
    queryFn: ({ signal }) => api.get<CompanyDto>(`/companies/${id}`, undefined, signal),
  });
  const adoptions = useAdoptions(id);
  const certs = useQuery({
    queryKey: [...complianceKeys.certifications, id],
    queryFn: ({ signal }) => listCertifications(id, signal),
  });
  const [adopting, setAdopting] = useState(false);
  const today = localToday();

  if (company.isLoading) return <Loader />;
  if (company.error || !company.data) {
    return (
      <Alert color="red" title={t('error.title')}>
        <ProblemDetails error={company.error} t={t} />
      </Alert>
    );
  }
  const c = company.data;
  const items = adoptions.data ?? [];

  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/companies" size="sm">
          {t('nav.companies')}
        </Anchor>
        <Anchor component={Link} to={`/companies/${c.id}`} size="sm">
          {c.shortCode}
        </Anchor>
        <Text size="sm">{t('companyCompliance.crumb')}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start" mb="lg">
        <div>
          <Title order={2} data-testid="company-compliance-title">
            {t('companyCompliance.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {c.legalName} ·{' '}
            <Text span ff="monospace" size="sm">
              {c.shortCode}
            </Text>
          </Text>
        </div>
        <Group>
          <Button
            variant="default"
            component={Link}
            to={`/compliance/controls?companyId=${c.id}`}
            leftSection={<ListCheckIcon />}
            data-testid="company-controls"
          >
            {t('nav.controls')}
          </Button>
          {can('compliance.write') && (
            <Button
              leftSection={<PlusIcon />}
              onClick={() => setAdopting(true)}
              data-testid="adopt-framework-open"
            >
              {t('adoption.open')}
            </Button>
          )}
        </Group>
      </Group>

      {adoptions.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={adoptions.error} t={t} />
        </Alert>
      )}
      {adoptions.isLoading && <Loader />}
      {adoptions.isSuccess && items.length === 0 && (
        <Paper withBorder radius="md" p="xl" mb="lg">
          <Stack align="center" gap="xs">
            <Title order={4}>{t('companyCompliance.emptyTitle')}</Title>
            <Text c="dimmed" ta="center" maw={520}>
              {t('companyCompliance.emptyHelp')}
            </Text>
            {can('compliance.write') && (
              <Button mt="xs" leftSection={<PlusIcon />} onClick={() => setAdopting(true)}>
                {t('adoption.open')}
              </Button>
            )}
          </Stack>
        </Paper>
      )}
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} mb="xl">
        {items.map((a) => (
          <Card
            key={a.id}
            withBorder
            padding="lg"
            radius="md"
            data-testid="adoption-card"
            data-framework={a.frameworkRef}
          >
            <Group justify="space-between" align="flex-start" wrap="nowrap" mb="sm">
              <Stack gap={2} style={{ minWidth: 0 }}>
                <Text fw={700} size="lg" lh={1.3}>
                  {a.frameworkName}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('adoption.adoptedOn', { date: formatDate(a.adoptedAt, false) })}
                </Text>
              </Stack>
              <ScoreRing score={a.score} testId="adoption-score" />
            </Group>
            <ScoreBar score={a.score} />
            <Group justify="space-between" mt="sm" align="flex-end">
              <ScoreFigures score={a.score} />
            </Group>
            {a.scopeStatement && (
              <Text size="xs" c="dimmed" mt="sm" lineClamp={2}>
                {t('adoption.scope')}: {a.scopeStatement}
              </Text>
            )}
            <Button
              component={Link}
              to={`/companies/${c.id}/compliance/${a.frameworkId}`}
              variant="light"
              fullWidth
              mt="md"
              data-testid="open-soa"
            >
              {t('soa.open')}
            </Button>
          </Card>
        ))}
      </SimpleGrid>

      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('nav.certifications')}</Title>
        <Anchor component={Link} to={`/compliance/certifications?companyId=${c.id}`} size="sm">
          {t('dashboard.viewRegister')}
        </Anchor>
      </Group>
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('cert.standard')}</Table.Th>
                <Table.Th>{t('cert.body')}</Table.Th>
                <Table.Th>{t('cert.status')}</Table.Th>
                <Table.Th>{t('cert.expires')}</Table.Th>
                <Table.Th>{t('cert.nextAudit')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(certs.data ?? []).length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" ta="center" py="md" size="sm">
                      {certs.isLoading ? t('common.loading') : t('cert.emptyCompany')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {(certs.data ?? []).map((cert) => (
                <Table.Tr key={cert.id}>
                  <Table.Td>
                    <Group gap="xs">
                      <AwardIcon size={16} />
                      <Text size="sm" fw={600}>
                        {cert.standard}
                      </Text>
                      {cert.overdue && <OverdueBadge />}
                    </Group>
                  </Table.Td>
                  <Table.Td>{cert.certificationBody}</Table.Td>
                  <Table.Td>
                    <CertificationStatusBadge status={cert.status} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      <Text size="sm">{formatDay(cert.expiresOn)}</Text>
                      {cert.expiresOn && cert.status === 'active' && (
                        <DaysLeftBadge
                          days={daysBetween(today, cert.expiresOn)}
                          soonDays={60}
                          past="expired"
                        />
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {cert.nextAudit ? (
                      <Text size="sm">
                        {t(`auditKind.${cert.nextAudit.kind}`)} · {formatDay(cert.nextAudit.plannedOn)}
                      </Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <AdoptModal opened={adopting} companyId={c.id} adopted={items} onClose={() => setAdopting(false)} />
    </>
  );
}
