// All routes of the UI. The server answers any non-API path with index.html, so these are real URLs.
import { Anchor, Center, Stack, Title } from '@mantine/core';
import { BrowserRouter, Link, Route, Routes } from 'react-router';
import { AssetDetailPage, AssetsImportPage, AssetsPage } from '../features/assets/index.ts';
import { AuditPage } from '../features/audit/index.ts';
import {
  DmarcDomainPage,
  DmarcImportPage,
  DmarcOverviewPage,
  DmarcReportsPage,
  FailureReportsPage,
  ServicesPage,
} from '../features/dmarc/index.ts';
import {
  DomainDetailPage,
  DomainsPage,
  EmailOverviewPage,
  RolloutBoardPage,
} from '../features/email/index.ts';
import {
  CertificationsPage,
  CompanyCompliancePage,
  ComplianceDashboardPage,
  ControlDetailPage,
  ControlsPage,
  EvidencePage,
  SoaPage,
} from '../features/compliance/index.ts';
import { FrameworkDetailPage, FrameworksPage, MappingsPage } from '../features/frameworks/index.ts';
import { LoginPage, MfaEnrollPage, ProfilePage, SetupPage } from '../features/auth/index.ts';
import { TokensPage, UserDetailPage, UsersPage } from '../features/identity/index.ts';
import { CompaniesPage, CompanyDetailPage, PeopleImportPage, PeoplePage } from '../features/org/index.ts';
import {
  NotificationPreferencesCard,
  NotificationsPage,
  WebhookSettingsPage,
} from '../features/notifications/index.ts';
import {
  CataloguePage,
  RiskDetailPage,
  RiskMethodPage,
  RisksDuePage,
  RisksOverviewPage,
  RisksPage,
} from '../features/risks/index.ts';
import { useT } from '../shared/i18n/i18n.tsx';
import { RedirectIfSignedIn, RequireEnrollmentStage, RequirePermission, RequireSession } from './guards.tsx';
import { HomePage } from './home-page.tsx';
import { Shell } from './shell.tsx';

function NotFound() {
  const t = useT();
  return (
    <Center py={80}>
      <Stack align="center" gap="xs">
        <Title order={3}>{t('error.notFoundTitle')}</Title>
        <Anchor component={Link} to="/">
          {t('nav.home')}
        </Anchor>
      </Stack>
    </Center>
  );
}

export function AppRouter() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/setup" element={<SetupPage />} />
        <Route
          path="/login"
          element={
            <RedirectIfSignedIn>
              <LoginPage />
            </RedirectIfSignedIn>
          }
        />
        <Route
          path="/mfa/enrol"
          element={
            <RequireEnrollmentStage>
              <MfaEnrollPage />
            </RequireEnrollmentStage>
          }
        />
        <Route
          element={
            <RequireSession>
              <Shell />
            </RequireSession>
          }
        >
          <Route index element={<HomePage />} />
          <Route
            path="companies"
            element={
              <RequirePermission action="company.read">
                <CompaniesPage />
              </RequirePermission>
            }
          />
          <Route
            path="companies/:id"
            element={
              <RequirePermission action="company.read">
                <CompanyDetailPage />
              </RequirePermission>
            }
          />
          <Route
            path="people"
            element={
              <RequirePermission action="person.read">
                <PeoplePage />
              </RequirePermission>
            }
          />
          <Route
            path="people/import"
            element={
              <RequirePermission action="person.write">
                <PeopleImportPage />
              </RequirePermission>
            }
          />
          <Route
            path="assets"
            element={
              <RequirePermission action="asset.read">
                <AssetsPage />
              </RequirePermission>
            }
          />
          <Route
            path="assets/import"
            element={
              <RequirePermission action="asset.write">
                <AssetsImportPage />
              </RequirePermission>
            }
          />
          <Route
            path="assets/:id"
            element={
              <RequirePermission action="asset.read">
                <AssetDetailPage />
              </RequirePermission>
            }
          />
          <Route
            path="risks"
            element={
              <RequirePermission action="risk.read">
                <RisksPage />
              </RequirePermission>
            }
          />
          <Route
            path="risks/new"
            element={
              <RequirePermission action="risk.write">
                <RisksPage raise />
              </RequirePermission>
            }
          />
          <Route
            path="risks/overview"
            element={
              <RequirePermission action="risk.read">
                <RisksOverviewPage />
              </RequirePermission>
            }
          />
          <Route
            path="risks/due"
            element={
              <RequirePermission action="risk.read">
                <RisksDuePage />
              </RequirePermission>
            }
          />
          <Route
            path="risks/method"
            element={
              <RequirePermission action="risk.read">
                <RiskMethodPage />
              </RequirePermission>
            }
          />
          <Route
            path="risks/catalogue"
            element={
              <RequirePermission action="risk.read">
                <CataloguePage />
              </RequirePermission>
            }
          />
          <Route
            path="risks/:id"
            element={
              <RequirePermission action="risk.read">
                <RiskDetailPage />
              </RequirePermission>
            }
          />
          <Route
            path="email"
            element={
              <RequirePermission action="email.read">
                <EmailOverviewPage />
              </RequirePermission>
            }
          />
          <Route
            path="email/rollout"
            element={
              <RequirePermission action="email.read">
                <RolloutBoardPage />
              </RequirePermission>
            }
          />
          <Route
            path="email/domains"
            element={
              <RequirePermission action="email.read">
                <DomainsPage />
              </RequirePermission>
            }
          />
          <Route
            path="email/domains/:id"
            element={
              <RequirePermission action="email.read">
                <DomainDetailPage />
              </RequirePermission>
            }
          />
          <Route
            path="dmarc"
            element={
              <RequirePermission action="email.read">
                <DmarcOverviewPage />
              </RequirePermission>
            }
          />
          <Route
            path="dmarc/domains/:domain"
            element={
              <RequirePermission action="email.read">
                <DmarcDomainPage />
              </RequirePermission>
            }
          />
          <Route
            path="dmarc/reports"
            element={
              <RequirePermission action="email.read">
                <DmarcReportsPage />
              </RequirePermission>
            }
          />
          <Route
            path="dmarc/failure-reports"
            element={
              <RequirePermission action="email.read">
                <FailureReportsPage />
              </RequirePermission>
            }
          />
          <Route
            path="dmarc/services"
            element={
              <RequirePermission action="email.read">
                <ServicesPage />
              </RequirePermission>
            }
          />
          <Route
            path="dmarc/import"
            element={
              <RequirePermission action="email.write">
                <DmarcImportPage />
              </RequirePermission>
            }
          />
          <Route
            path="users"
            element={
              <RequirePermission action="user.read">
                <UsersPage />
              </RequirePermission>
            }
          />
          <Route
            path="users/:id"
            element={
              <RequirePermission action="user.read">
                <UserDetailPage />
              </RequirePermission>
            }
          />
          <Route
            path="companies/:id/compliance"
            element={
              <RequirePermission action="compliance.read">
                <CompanyCompliancePage />
              </RequirePermission>
            }
          />
          <Route
            path="companies/:companyId/compliance/:frameworkId"
            element={
              <RequirePermission action="compliance.read">
                <SoaPage />
              </RequirePermission>
            }
          />
          <Route
            path="compliance"
            element={
              <RequirePermission action="compliance.read">
                <ComplianceDashboardPage />
              </RequirePermission>
            }
          />
          <Route
            path="compliance/controls"
            element={
              <RequirePermission action="compliance.read">
                <ControlsPage />
              </RequirePermission>
            }
          />
          <Route
            path="compliance/controls/:id"
            element={
              <RequirePermission action="compliance.read">
                <ControlDetailPage />
              </RequirePermission>
            }
          />
          <Route
            path="compliance/evidence"
            element={
              <RequirePermission action="compliance.read">
                <EvidencePage />
              </RequirePermission>
            }
          />
          <Route
            path="compliance/certifications"
            element={
              <RequirePermission action="compliance.read">
                <CertificationsPage />
              </RequirePermission>
            }
          />
          <Route
            path="frameworks"
            element={
              <RequirePermission action="framework.read">
                <FrameworksPage />
              </RequirePermission>
            }
          />
          <Route
            path="frameworks/mappings"
            element={
              <RequirePermission action="framework.read">
                <MappingsPage />
              </RequirePermission>
            }
          />
          <Route
            path="frameworks/:id"
            element={
              <RequirePermission action="framework.read">
                <FrameworkDetailPage />
              </RequirePermission>
            }
          />
          <Route
            path="audit"
            element={
              <RequirePermission action="audit.read">
                <AuditPage />
              </RequirePermission>
            }
          />
          <Route
            path="tokens"
            element={
              <RequirePermission action="self.write">
                <TokensPage />
              </RequirePermission>
            }
          />
          <Route path="profile" element={<ProfilePage extra={<NotificationPreferencesCard />} />} />
          <Route path="notifications" element={<NotificationsPage />} />
          <Route
            path="notifications/settings"
            element={
              <RequirePermission action="notification.manage">
                <WebhookSettingsPage />
              </RequirePermission>
            }
          />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
