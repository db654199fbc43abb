// Line icons of the email screens, drawn like shared/ui/icons.tsx (24x24, stroke).
import { icon } from '../../../shared/ui/icons.tsx';

/** An envelope with a hook: anti-phishing. */
export const MailShieldIcon = icon(
  <>
    <rect x="3" y="5" width="18" height="14" rx="2" />
    <path d="m3.5 6.5 8.5 6 8.5-6" />
    <path d="M15 19v-3a2 2 0 0 1 4 0" />
  </>,
);
export const BoardIcon = icon(
  <>
    <rect x="3.5" y="4" width="4.5" height="16" rx="1" />
    <rect x="9.75" y="4" width="4.5" height="11" rx="1" />
    <rect x="16" y="4" width="4.5" height="7" rx="1" />
  </>,
);
export const GlobeIcon = icon(
  <>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M3.5 12h17" />
    <path d="M12 3.5c2.5 2.6 3.5 5.4 3.5 8.5s-1 5.9-3.5 8.5c-2.5-2.6-3.5-5.4-3.5-8.5s1-5.9 3.5-8.5z" />
  </>,
);
export const RadarIcon = icon(
  <>
    <path d="M20.5 12A8.5 8.5 0 1 1 12 3.5" />
    <path d="M16.5 12A4.5 4.5 0 1 1 12 7.5" />
    <path d="m12 12 6-6" />
  </>,
);
