// The signed-in frame: header with user, language and sign-out; navigation by permission.
import {
  AppShell,
  Burger,
  Button,
  Group,
  NavLink,
  ScrollArea,
  Text,
  ThemeIcon,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import type { Action } from '../shared/api/types.ts';
import { useT, type MessageKey } from '../shared/i18n/i18n.tsx';
import { useRequiredSession, useSession } from '../shared/session/session.tsx';
import {
  BuildingIcon,
  DatabaseIcon,
  HistoryIcon,
  HomeIcon,
  KeyIcon,
  LogoutIcon,
  ShieldIcon,
  UserCogIcon,
  UserIcon,
  UsersIcon,
  type IconProps,
} from '../shared/ui/icons.tsx';
import { LanguageSwitch } from '../shared/ui/language-switch.tsx';
import {
  AwardIcon,
  BookIcon,
  ClockIcon,
  CompassIcon,
  GaugeIcon,
  ListCheckIcon,
} from '../features/compliance/index.ts';
import {
  AlarmIcon,
  GridIcon,
  LibraryIcon,
  RegisterIcon,
  RiskIcon,
  SlidersIcon,
} from '../features/risks/index.ts';
import { BoardIcon, GlobeIcon, MailShieldIcon, RadarIcon } from '../features/email/index.ts';
import { ChartIcon, InboxIcon, MailFailIcon, ReportIcon, ServerIcon } from '../features/dmarc/index.ts';
import { BellIcon, NotificationBell, WebhookIcon } from '../features/notifications/index.ts';
import { notifyError } from '../shared/ui/notify.tsx';

interface NavItem {
  to: string;
  label: MessageKey;
  icon: (props: IconProps) => React.JSX.Element;
  testId: string;
  /** Shown only with this permission; none: every signed-in user. */
  action?: Action;
  /** Active only on this very path, not below it (a group's overview page). */
  exact?: boolean;
  /** A group: shown when at least one of its items is. */
  children?: NavItem[];
}

const NAV: NavItem[] = [
  { to: '/', label: 'nav.home', icon: HomeIcon, testId: 'nav-home' },
  {
    to: '/companies',
    label: 'nav.companies',
    icon: BuildingIcon,
    testId: 'nav-companies',
    action: 'company.read',
  },
  { to: '/people', label: 'nav.people', icon: UsersIcon, testId: 'nav-people', action: 'person.read' },
  { to: '/assets', label: 'nav.assets', icon: DatabaseIcon, testId: 'nav-assets', action: 'asset.read' },
  {
    to: '/risks',
    label: 'nav.risks',
    icon: RiskIcon,
    testId: 'nav-risks',
    children: [
      {
        to: '/risks/overview',
        label: 'nav.riskOverview',
        icon: GridIcon,
        testId: 'nav-risk-overview',
        action: 'risk.read',
      },
      {
        to: '/risks',
        label: 'nav.riskRegister',
        icon: RegisterIcon,
        testId: 'nav-risk-register',
        action: 'risk.read',
        exact: true,
      },
      {
        to: '/risks/due',
        label: 'nav.riskDue',
        icon: AlarmIcon,
        testId: 'nav-risk-due',
        action: 'risk.read',
      },
      {
        to: '/risks/method',
        label: 'nav.riskMethod',
        icon: SlidersIcon,
        testId: 'nav-risk-method',
        action: 'risk.read',
      },
      {
        to: '/risks/catalogue',
        label: 'nav.riskCatalogue',
        icon: LibraryIcon,
        testId: 'nav-risk-catalogue',
        action: 'risk.read',
      },
    ],
  },
  {
    to: '/compliance',
    label: 'nav.compliance',
    icon: CompassIcon,
    testId: 'nav-compliance',
    children: [
      {
        to: '/compliance',
        label: 'nav.complianceDashboard',
        icon: GaugeIcon,
        testId: 'nav-compliance-dashboard',
        action: 'compliance.read',
        exact: true,
      },
      {
        to: '/compliance/controls',
        label: 'nav.controls',
        icon: ListCheckIcon,
        testId: 'nav-controls',
        action: 'compliance.read',
      },
      {
        to: '/compliance/evidence',
        label: 'nav.evidence',
        icon: ClockIcon,
        testId: 'nav-evidence',
        action: 'compliance.read',
      },
      {
        to: '/compliance/certifications',
        label: 'nav.certifications',
        icon: AwardIcon,
        testId: 'nav-certifications',
        action: 'compliance.read',
      },
      {
        to: '/frameworks',
        label: 'nav.frameworks',
        icon: BookIcon,
        testId: 'nav-frameworks',
        action: 'framework.read',
      },
    ],
  },
  {
    to: '/email',
    label: 'email.nav.title',
    icon: MailShieldIcon,
    testId: 'nav-email',
    children: [
      {
        to: '/email',
        label: 'email.nav.overview',
        icon: RadarIcon,
        testId: 'nav-email-overview',
        action: 'email.read',
        exact: true,
      },
      {
        to: '/email/rollout',
        label: 'email.nav.rollout',
        icon: BoardIcon,
        testId: 'nav-email-rollout',
        action: 'email.read',
      },
      {
        to: '/email/domains',
        label: 'email.nav.domains',
        icon: GlobeIcon,
        testId: 'nav-email-domains',
        action: 'email.read',
      },
      {
        to: '/dmarc',
        label: 'dmarc.nav.overview',
        icon: ChartIcon,
        testId: 'nav-dmarc',
        action: 'email.read',
        exact: true,
      },
      {
        to: '/dmarc/reports',
        label: 'dmarc.nav.reports',
        icon: ReportIcon,
        testId: 'nav-dmarc-reports',
        action: 'email.read',
      },
      {
        to: '/dmarc/failure-reports',
        label: 'dmarc.nav.failures',
        icon: MailFailIcon,
        testId: 'nav-dmarc-failures',
        action: 'email.read',
      },
      {
        to: '/dmarc/import',
        label: 'dmarc.nav.import',
        icon: InboxIcon,
        testId: 'nav-dmarc-import',
        action: 'email.write',
      },
      {
        to: '/dmarc/services',
        label: 'dmarc.nav.services',
        icon: ServerIcon,
        testId: 'nav-dmarc-services',
        action: 'email.read',
      },
    ],
  },
  {
    to: '/notifications',
    label: 'notifications.nav',
    icon: BellIcon,
    testId: 'nav-notifications',
    exact: true,
  },
  { to: '/users', label: 'nav.users', icon: UserCogIcon, testId: 'nav-users', action: 'user.read' },
  { to: '/audit', label: 'nav.audit', icon: HistoryIcon, testId: 'nav-audit', action: 'audit.read' },
  {
    to: '/notifications/settings',
    label: 'notifications.navSettings',
    icon: WebhookIcon,
    testId: 'nav-notification-settings',
    action: 'notification.manage',
  },
  { to: '/tokens', label: 'nav.tokens', icon: KeyIcon, testId: 'nav-tokens', action: 'self.write' },
  { to: '/profile', label: 'nav.profile', icon: UserIcon, testId: 'nav-profile' },
];

export function Shell() {
  const t = useT();
  const session = useRequiredSession();
  const { can, signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [opened, { toggle, close }] = useDisclosure();

  const isActive = (item: NavItem) =>
    item.to === '/' || item.exact
      ? location.pathname === item.to
      : location.pathname === item.to || location.pathname.startsWith(`${item.to}/`);
  const allowed = (item: NavItem) => !item.action || can(item.action);
  const items = NAV.map((item) =>
    item.children ? { ...item, children: item.children.filter(allowed) } : item,
  ).filter((item) => (item.children ? item.children.length > 0 : allowed(item)));

  const renderLink = (item: NavItem) => {
    const Icon = item.icon;
    return (
      <NavLink
        key={item.to}
        component={Link}
        to={item.to}
        label={t(item.label)}
        leftSection={<Icon size={18} />}
        active={isActive(item)}
        onClick={close}
        data-testid={item.testId}
        style={{ borderRadius: 'var(--mantine-radius-md)' }}
        mb={2}
      />
    );
  };

  const doSignOut = () => {
    signOut()
      .catch((err: unknown) => notifyError(err))
      .finally(() => void navigate('/login', { replace: true }));
  };

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <UnstyledButton component={Link} to="/" style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
              <ThemeIcon size="md" radius="md">
                <ShieldIcon size={16} />
              </ThemeIcon>
              <Text fw={700}>Mamori</Text>
              <Text size="sm" c="dimmed" visibleFrom="md">
                {t('app.tagline')}
              </Text>
            </UnstyledButton>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <NotificationBell />
            <Tooltip label={session.user.email}>
              <Text size="sm" fw={500} visibleFrom="xs" data-testid="header-user">
                {session.user.displayName}
              </Text>
            </Tooltip>
            <LanguageSwitch />
            <Button
              variant="subtle"
              color="gray"
              size="xs"
              leftSection={<LogoutIcon size={16} />}
              onClick={doSignOut}
              data-testid="sign-out"
            >
              {t('nav.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <AppShell.Section grow component={ScrollArea}>
          {items.map((item) => {
            if (!item.children) return renderLink(item);
            const Icon = item.icon;
            return (
              <NavLink
                key={`group:${item.testId}`}
                label={t(item.label)}
                leftSection={<Icon size={18} />}
                defaultOpened={item.children.some(isActive)}
                childrenOffset={14}
                data-testid={item.testId}
                style={{ borderRadius: 'var(--mantine-radius-md)' }}
                mb={2}
              >
                {item.children.map(renderLink)}
              </NavLink>
            );
          })}
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm" py="xs">
            {t('app.footer')}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main bg="var(--mantine-color-gray-0)">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
