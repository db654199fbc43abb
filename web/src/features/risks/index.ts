// The risks feature's public face: its pages, and the icons of its navigation entries.
export { RisksPage } from './risks-page.tsx';
export { RisksOverviewPage } from './risks-overview-page.tsx';
export { RiskDetailPage } from './risk-detail-page.tsx';
export { RiskMethodPage } from './risk-method-page.tsx';
export { RisksDuePage } from './risks-due-page.tsx';
export { CataloguePage } from './catalogue-page.tsx';
export { AlarmIcon, GridIcon, LibraryIcon, RegisterIcon, RiskIcon, SlidersIcon } from './ui/icons.tsx';
