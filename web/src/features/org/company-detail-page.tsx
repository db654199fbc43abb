// One company: its fields, its CISO and its department tree.
import { useState, type ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Card,
  Grid,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { CompanyStatusBadge } from '../../shared/ui/badges.tsx';
import { EditIcon, HistoryIcon, ShieldIcon, UsersIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { CisoModal } from './ciso-modal.tsx';
import { CompanyFormModal } from './company-form-modal.tsx';
import { DepartmentTree } from './department-tree.tsx';
import { getCompany, orgKeys } from './org.api.ts';

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

export function CompanyDetailPage() {
  const t = useT();
  const can = useCan();
  const formatDate = useFormatDate();
  const { id = '' } = useParams();
  const lookup = useCompanyLookup();
  const company = useQuery({ queryKey: orgKeys.company(id), queryFn: () => getCompany(id) });
  const [editing, setEditing] = useState(false);
  const [settingCiso, setSettingCiso] = useState(false);

  if (company.isLoading) return <Loader />;
  if (company.error || !company.data) {
    return (
      <Alert color="red" title={t('error.title')}>
        <ProblemDetails error={company.error} t={t} />
      </Alert>
    );
  }
  const c = company.data;
  const parent = c.parentId ? lookup.byId.get(c.parentId) : undefined;
  const children = lookup.companies.filter((x) => x.parentId === c.id);

  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/companies" size="sm">
          {t('nav.companies')}
        </Anchor>
        <Text size="sm">{c.shortCode}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start" mb="lg">
        <div>
          <Group gap="sm">
            <Title order={2} data-testid="company-title">
              {c.legalName}
            </Title>
            <CompanyStatusBadge status={c.status} />
          </Group>
          <Text c="dimmed" size="sm" ff="monospace">
            {c.shortCode} · {c.country}
          </Text>
        </div>
        <Group>
          {can('audit.read') && (
            <Button
              variant="default"
              component={Link}
              to={`/audit?entityType=company&entityId=${c.id}`}
              leftSection={<HistoryIcon />}
              data-testid="company-history"
            >
              {t('common.history')}
            </Button>
          )}
          {can('compliance.read') && (
            <Button
              variant="default"
              component={Link}
              to={`/companies/${c.id}/compliance`}
              leftSection={<ShieldIcon />}
              data-testid="company-compliance"
            >
              {t('nav.compliance')}
            </Button>
          )}
          {can('person.read') && (
            <Button
              variant="default"
              component={Link}
              to={`/people?companyId=${c.id}`}
              leftSection={<UsersIcon />}
            >
              {t('nav.people')}
            </Button>
          )}
          {can('company.set_ciso') && (
            <Button
              variant="light"
              leftSection={<ShieldIcon />}
              onClick={() => setSettingCiso(true)}
              data-testid="company-set-ciso"
            >
              {t('company.setCiso')}
            </Button>
          )}
          {can('company.update') && (
            <Button leftSection={<EditIcon />} onClick={() => setEditing(true)} data-testid="company-edit">
              {t('common.edit')}
            </Button>
          )}
        </Group>
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder padding="lg">
            <Title order={4} mb="md">
              {t('company.details')}
            </Title>
            <SimpleGrid cols={2} spacing="md">
              <Field label={t('company.legalName')}>{c.legalName}</Field>
              <Field label={t('company.shortCode')}>{c.shortCode}</Field>
              <Field label={t('company.country')}>{c.country}</Field>
              <Field label={t('company.status')}>
                <CompanyStatusBadge status={c.status} />
              </Field>
              <Field label={t('company.parent')}>
                {parent ? (
                  <Anchor component={Link} to={`/companies/${parent.id}`}>
                    {parent.legalName}
                  </Anchor>
                ) : (
                  '—'
                )}
              </Field>
              <Field label={t('company.ciso')}>
                <span data-testid="company-ciso">{c.cisoName ?? t('company.noCiso')}</span>
              </Field>
              <Field label={t('common.createdAt')}>{formatDate(c.createdAt)}</Field>
              <Field label={t('common.updatedAt')}>{formatDate(c.updatedAt)}</Field>
            </SimpleGrid>
            {children.length > 0 && (
              <Stack gap={4} mt="lg">
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  {t('company.subsidiaries')}
                </Text>
                {children.map((child) => (
                  <Anchor key={child.id} component={Link} to={`/companies/${child.id}`} size="sm">
                    {child.shortCode} — {child.legalName}
                  </Anchor>
                ))}
              </Stack>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder padding="lg">
            <Title order={4} mb="sm">
              {t('department.title')}
            </Title>
            <DepartmentTree companyId={c.id} />
          </Card>
        </Grid.Col>
      </Grid>
      <CompanyFormModal
        opened={editing}
        company={c}
        onClose={() => setEditing(false)}
        onSaved={() => void company.refetch()}
      />
      <CisoModal company={settingCiso ? c : null} onClose={() => setSettingCiso(false)} />
    </>
  );
}
