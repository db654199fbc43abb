// The org feature's public face: the pages and the home-page overview.
export { CompaniesPage } from './companies-page.tsx';
export { CompanyDetailPage } from './company-detail-page.tsx';
export { PeoplePage } from './people-page.tsx';
export { PeopleImportPage } from './people-import-page.tsx';
export { OrgOverview } from './org-overview.tsx';
