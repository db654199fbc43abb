// Headers of the files the API hands out: always attachments (never rendered by the browser), with a safe name.
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `attachment; filename="…"` with anything but letters, digits, dot, dash and underscore replaced by `_`. */
export const attachment = (name: string): string =>
  `attachment; filename="${name.replace(/[^A-Za-z0-9._-]+/g, '_')}"`;
