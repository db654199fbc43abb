// Line icons of the risk screens, drawn like shared/ui/icons.tsx (24x24, stroke).
import { icon } from '../../../shared/ui/icons.tsx';

export const RiskIcon = icon(
  <>
    <path d="M12 3.5 2.8 19.5h18.4z" />
    <path d="M12 10v4.5M12 17v.01" />
  </>,
);
export const GridIcon = icon(
  <>
    <rect x="4" y="4" width="7" height="7" rx="1" />
    <rect x="13" y="4" width="7" height="7" rx="1" />
    <rect x="4" y="13" width="7" height="7" rx="1" />
    <rect x="13" y="13" width="7" height="7" rx="1" />
  </>,
);
export const RegisterIcon = icon(
  <>
    <rect x="4" y="3.5" width="16" height="17" rx="2" />
    <path d="M8 8h8M8 12h8M8 16h5" />
  </>,
);
export const AlarmIcon = icon(
  <>
    <circle cx="12" cy="13" r="7" />
    <path d="M12 9.5V13l2.5 1.5M5 4 3 6M19 4l2 2" />
  </>,
);
export const SlidersIcon = icon(
  <>
    <path d="M5 4v16M12 4v16M19 4v16" />
    <circle cx="5" cy="15" r="2" fill="white" />
    <circle cx="12" cy="8" r="2" fill="white" />
    <circle cx="19" cy="13" r="2" fill="white" />
  </>,
);
export const LibraryIcon = icon(
  <>
    <path d="M4 5h4v15H4zM10 5h4v15h-4z" />
    <path d="m16 6 3.8-1 3 14.5-3.8 1z" />
  </>,
);
export const SignIcon = icon(
  <>
    <path d="M3 19c3-1 4-6 6-6s0 5 2 5 3-3 4-3 1 2 3 2" />
    <path d="M14 4l5 5-6 6H8v-5z" />
  </>,
);
