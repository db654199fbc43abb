// Home page figures: companies, people, and people per personnel category.
import {
  Anchor,
  Card,
  Group,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import { request } from '../../shared/api/client.ts';
import { PERSONNEL_CATEGORIES, type PersonnelCategory } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { BuildingIcon, UsersIcon } from '../../shared/ui/icons.tsx';
import { orgKeys } from './org.api.ts';

const CATEGORY_COLORS: Record<PersonnelCategory, string> = {
  director_officer: 'grape',
  regular_employee: 'blue',
  contract_employee: 'cyan',
  temporary_staff: 'teal',
  partner_staff: 'lime',
  outsourced_worker: 'yellow',
  part_time_employee: 'orange',
};

interface CategoryCount {
  category: PersonnelCategory;
  count: number;
}

/** Active people per personnel category, counted by the server over the companies in the user's scope. */
function usePeopleByCategory(enabled: boolean) {
  return useQuery({
    queryKey: [...orgKeys.people, 'by-category'],
    enabled,
    staleTime: 60_000,
    queryFn: async ({ signal }): Promise<CategoryCount[]> => {
      const stats = await request<{ byCategory: { category: string; count: number }[] }>(
        'GET',
        '/people/stats',
        { signal },
      );
      const counts = new Map(stats.byCategory.map((c) => [c.category, c.count]));
      return PERSONNEL_CATEGORIES.map((category) => ({ category, count: counts.get(category) ?? 0 }));
    },
  });
}

function StatCard({
  label,
  value,
  icon,
  to,
  testId,
}: {
  label: string;
  value: string | null;
  icon: React.ReactNode;
  to: string;
  testId: string;
}) {
  return (
    <Card withBorder padding="lg" radius="md">
      <Group justify="space-between" align="flex-start">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {label}
          </Text>
          {value === null ? (
            <Skeleton h={34} w={80} mt={6} />
          ) : (
            <Text fz={34} fw={700} lh={1.3} data-testid={testId}>
              {value}
            </Text>
          )}
        </div>
        <Anchor component={Link} to={to} c="blue">
          {icon}
        </Anchor>
      </Group>
    </Card>
  );
}

export function OrgOverview() {
  const t = useT();
  const can = useCan();
  const lookup = useCompanyLookup();
  const byCategory = usePeopleByCategory(can('person.read'));
  const counts = byCategory.data ?? [];
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  const fmt = (n: number) => n.toLocaleString();
  const companiesActive = lookup.companies.filter((c) => c.status === 'active').length;
  const withoutCiso = lookup.companies.filter((c) => c.status === 'active' && !c.cisoPersonId).length;

  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {can('company.read') && (
          <StatCard
            label={t('home.companies')}
            value={lookup.loading ? null : companiesActive.toLocaleString()}
            icon={<BuildingIcon size={26} />}
            to="/companies"
            testId="home-companies"
          />
        )}
        {can('person.read') && (
          <StatCard
            label={t('home.people')}
            value={byCategory.isLoading ? null : fmt(total)}
            icon={<UsersIcon size={26} />}
            to="/people"
            testId="home-people"
          />
        )}
        {can('company.read') && (
          <StatCard
            label={t('home.withoutCiso')}
            value={lookup.loading ? null : withoutCiso.toLocaleString()}
            icon={<BuildingIcon size={26} />}
            to="/companies"
            testId="home-without-ciso"
          />
        )}
      </SimpleGrid>
      {can('person.read') && (
        <Card withBorder padding="lg" radius="md">
          <Title order={4} mb={4}>
            {t('home.byCategory')}
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            {t('home.byCategoryHelp')}
          </Text>
          {byCategory.isLoading ? (
            <Skeleton h={16} />
          ) : total === 0 ? (
            <Text size="sm" c="dimmed">
              {t('home.noPeople')}
            </Text>
          ) : (
            <>
              <Progress.Root size={22} mb="md">
                {counts
                  .filter((c) => c.count > 0)
                  .map((c) => (
                    <Tooltip key={c.category} label={`${t(`category.${c.category}`)}: ${fmt(c.count)}`}>
                      <Progress.Section value={(c.count / total) * 100} color={CATEGORY_COLORS[c.category]}>
                        <Progress.Label>{c.count / total > 0.12 ? fmt(c.count) : ''}</Progress.Label>
                      </Progress.Section>
                    </Tooltip>
                  ))}
              </Progress.Root>
              <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="xs">
                {counts.map((c) => (
                  <Group key={c.category} gap="xs" wrap="nowrap">
                    <div
                      style={{
                        width: 10,
                        height: 10,
                        borderRadius: 3,
                        flex: 'none',
                        background: `var(--mantine-color-${CATEGORY_COLORS[c.category]}-filled)`,
                      }}
                    />
                    <Anchor
                      component={Link}
                      to={`/people?personnelCategory=${c.category}&active=true`}
                      size="sm"
                      c="dark"
                    >
                      {t(`category.${c.category}`)}
                    </Anchor>
                    <Text size="sm" fw={600} ml="auto">
                      {fmt(c.count)}
                    </Text>
                  </Group>
                ))}
              </SimpleGrid>
            </>
          )}
        </Card>
      )}
    </Stack>
  );
}
