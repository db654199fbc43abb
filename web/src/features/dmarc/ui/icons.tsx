// Line icons of the DMARC screens, drawn like shared/ui/icons.tsx (24x24, stroke).
import { icon } from '../../../shared/ui/icons.tsx';

/** Stacked bars over a baseline: the reports' analysis. */
export const ChartIcon = icon(
  <>
    <path d="M4 20h16" />
    <rect x="5.5" y="11" width="3.5" height="7" rx="0.5" />
    <rect x="10.25" y="6" width="3.5" height="12" rx="0.5" />
    <rect x="15" y="9" width="3.5" height="9" rx="0.5" />
  </>,
);
/** A page with lines: aggregate reports. */
export const ReportIcon = icon(
  <>
    <path d="M6 3.5h8l4 4V20a.5.5 0 0 1-.5.5h-11A.5.5 0 0 1 6 20z" />
    <path d="M14 3.5V8h4" />
    <path d="M9 12h6M9 15.5h6" />
  </>,
);
/** An envelope crossed: failure reports. */
export const MailFailIcon = icon(
  <>
    <rect x="3" y="5" width="14" height="11" rx="2" />
    <path d="m3.5 6.5 6.5 4.5 6.5-4.5" />
    <path d="m16 15 5 5M21 15l-5 5" />
  </>,
);
/** A tray receiving an arrow: report files in. */
export const InboxIcon = icon(
  <>
    <path d="M4 13.5h4.5l1.5 2.5h4l1.5-2.5H20" />
    <path d="M4 13.5 6.5 6h11l2.5 7.5V19a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1z" />
    <path d="M12 3v7M9.5 7.5 12 10l2.5-2.5" />
  </>,
);
/** Two stacked servers: known sending services. */
export const ServerIcon = icon(
  <>
    <rect x="4" y="4" width="16" height="6.5" rx="1.5" />
    <rect x="4" y="13.5" width="16" height="6.5" rx="1.5" />
    <path d="M8 7.25h.01M8 16.75h.01" />
  </>,
);
