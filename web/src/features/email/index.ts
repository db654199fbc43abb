// The email feature's public face: the anti-phishing pages, and the icons of their navigation entries.
export { EmailOverviewPage } from './email-overview-page.tsx';
export { RolloutBoardPage } from './rollout-board-page.tsx';
export { DomainsPage } from './domains-page.tsx';
export { DomainDetailPage } from './domain-detail-page.tsx';
export { BoardIcon, GlobeIcon, MailShieldIcon, RadarIcon } from './ui/icons.tsx';
